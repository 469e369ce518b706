#pragma once
// Writing to stdout the way command-line tools should: colour only for a terminal and only without
// NO_COLOR, and a reader that goes away early (`prof report | head`) ends the output quietly.
#include <string_view>

namespace prof::viewer {

bool stdout_wants_colour();

// Writes all of `text` to stdout; returns false (quietly) when the reader has closed the pipe.
bool write_stdout(std::string_view text);

// Lets write_stdout see EPIPE instead of the process dying of SIGPIPE. Only the commands that write reports
// call it: `prof run` must hand its program SIGPIPE's default, as exec inherits SIG_IGN.
void ignore_sigpipe();

}  // namespace prof::viewer
