#pragma once
// Catches the signals that would kill the process so it still leaves a snapshot, then dies of the same
// signal. Only signals left at SIG_DFL are caught, and the program never sees our handler: asking for the
// disposition answers SIG_DFL, installing its own handler (by any libc entry point) makes us step aside for
// that signal, and setting SIG_DFL again brings ours back. Whether ours is installed is asked of the kernel,
// never remembered, so a change the shim did not see cannot make it lie.

namespace prof::preload::fatal_signals {

// Installs the handler for every fatal signal whose disposition is SIG_DFL.
void install() noexcept;

}  // namespace prof::preload::fatal_signals
