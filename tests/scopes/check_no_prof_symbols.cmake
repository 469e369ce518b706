# cmake -DNM=nm -DOBJECT=file.o -P check_no_prof_symbols.cmake: fails when the object file defines or
# references any symbol of libprof (a PROF_ENABLED=0 build must not need the library).
execute_process(COMMAND ${NM} -C ${OBJECT} OUTPUT_VARIABLE symbols RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "nm failed on ${OBJECT}")
endif()
if(NOT symbols MATCHES "disabled_build_function")
  message(FATAL_ERROR "nm shows no disabled_build_function: wrong object?\n${symbols}")
endif()
string(TOLOWER "${symbols}" lower)
if(lower MATCHES "prof")
  message(FATAL_ERROR "a PROF_ENABLED=0 object still has libprof symbols:\n${symbols}")
endif()
message(STATUS "no libprof symbol in ${OBJECT}")
