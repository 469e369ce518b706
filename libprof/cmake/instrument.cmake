# prof_instrument(TARGET [EXCLUDE_FILES path...] [EXCLUDE_FUNCTIONS name...])
#
# Makes every function of TARGET a scope of libprof's scope profiler, without a macro: its sources are
# compiled with -finstrument-functions and it links libprof, whose hooks record each call (README, "Every
# function a scope"). Names and file:line come from the binary's symbols when `prof report` reads the
# snapshot, so build TARGET with -g (RelWithDebInfo) for file:line; without it names come from the symbol
# table.
#
# What is excluded, so that the library code inlined into TARGET does not drown its own functions:
# - gcc: functions defined in system headers (/usr/include, which holds the C++ standard library, and
#   libprof's own headers), plus EXCLUDE_FILES (substrings of the defining file's path, e.g. "third_party/")
#   and EXCLUDE_FUNCTIONS (substrings of the function's name as gcc prints it, e.g. "Matrix::at"); gcc
#   compares them at compile time, so an excluded function costs nothing. A name cannot contain a comma.
# - clang (14 has no exclusion lists): -finstrument-functions-after-inlining, so a function inlined into its
#   caller (every small std:: helper at -O1 and above) is not instrumented and only calls that remain calls
#   are recorded; EXCLUDE_FILES leaves those source files of TARGET uninstrumented (through source file
#   properties, which a source shared with another target of the same directory shares too); EXCLUDE_FUNCTIONS cannot
#   be honoured (a warning says so): mark such a function __attribute__((no_instrument_function)).
# Either compiler: __attribute__((no_instrument_function)) on a function leaves it out.
#
# Installed with libprof's package: after find_package(libprof), call prof_instrument(my_program).

function(prof_instrument target)
  cmake_parse_arguments(PARSE_ARGV 1 PROF "" "" "EXCLUDE_FILES;EXCLUDE_FUNCTIONS")
  if(PROF_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "prof_instrument(${target}): unknown arguments: ${PROF_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT TARGET ${target})
    message(FATAL_ERROR "prof_instrument(${target}): no such target")
  endif()
  if(TARGET libprof::prof)
    target_link_libraries(${target} PRIVATE libprof::prof)
  else()
    target_link_libraries(${target} PRIVATE prof)
  endif()

  get_target_property(sources ${target} SOURCES)
  get_target_property(source_dir ${target} SOURCE_DIR)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" OR CMAKE_C_COMPILER_ID STREQUAL "GNU")
    # libprof's headers: the inline scope guard would otherwise be a "function" in every PROF_SCOPE.
    set(files /usr/include /usr/local/include prof/detail/ ${PROF_EXCLUDE_FILES})
    list(JOIN files "," file_list)
    set(options -finstrument-functions "-finstrument-functions-exclude-file-list=${file_list}")
    if(PROF_EXCLUDE_FUNCTIONS)
      list(JOIN PROF_EXCLUDE_FUNCTIONS "," function_list)
      list(APPEND options "-finstrument-functions-exclude-function-list=${function_list}")
    endif()
    target_compile_options(${target} PRIVATE ${options})
    return()
  endif()

  if(PROF_EXCLUDE_FUNCTIONS)
    message(WARNING "prof_instrument(${target}): ${CMAKE_CXX_COMPILER_ID} has no option to exclude functions "
                    "by name (${PROF_EXCLUDE_FUNCTIONS}); mark them __attribute__((no_instrument_function))")
  endif()
  if(NOT PROF_EXCLUDE_FILES)
    target_compile_options(${target} PRIVATE -finstrument-functions-after-inlining)
    return()
  endif()
  # Per source file, so that EXCLUDE_FILES can leave some out (clang has no flag that undoes the option). A
  # source file's options belong to its directory: a file shared with another target of the same directory
  # is instrumented there too.
  foreach(source IN LISTS sources)
    if(source MATCHES "^\\$<")  # a generator expression: instrumented like the rest, through the target
      continue()
    endif()
    get_filename_component(path "${source}" ABSOLUTE BASE_DIR "${source_dir}")
    set(excluded FALSE)
    foreach(pattern IN LISTS PROF_EXCLUDE_FILES)
      string(FIND "${path}" "${pattern}" at)
      if(NOT at EQUAL -1)
        set(excluded TRUE)
      endif()
    endforeach()
    if(NOT excluded)
      set_property(SOURCE "${source}" TARGET_DIRECTORY ${target} APPEND PROPERTY COMPILE_OPTIONS
                   -finstrument-functions-after-inlining)
    endif()
  endforeach()
endfunction()
