#pragma once
// Whole-number settings from the environment (PROF_DEPTH, PROF_SNAPSHOT_INTERVAL): unset or empty means the
// default, silently; anything else that is not a number from 1 to the maximum is said once on stderr, naming
// the variable and the value used instead, so a typo never silently changes what is recorded.

namespace prof::preload::settings {

// Reads `name` (secure_getenv). Not digits, zero or negative: `fallback`, with a warning; above `max`: `max`,
// with a warning. `fallback_words` says the fallback in the warning ("32", "no interval snapshots").
long whole_number(const char* name, long max, long fallback, const char* fallback_words) noexcept;

}  // namespace prof::preload::settings
