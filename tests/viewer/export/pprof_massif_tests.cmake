# The pprof and massif exports opened by their real readers: Google's pprof (built here from Debian's Go
# sources by build_pprof.sh, once, as a test fixture) and valgrind's ms_print. Included from
# tests/viewer/CMakeLists.txt; each test skips itself when its tool is absent.
set(PROF_EXPORT_TEST_DIR ${CMAKE_CURRENT_LIST_DIR})
add_executable(viewer_export_tool_tests
    ${PROF_EXPORT_TEST_DIR}/protobuf_writer_test.cpp
    ${PROF_EXPORT_TEST_DIR}/pprof_test.cpp
    ${PROF_EXPORT_TEST_DIR}/massif_test.cpp
    ${PROF_EXPORT_TEST_DIR}/export_command_test.cpp
    ${PROF_EXPORT_TEST_DIR}/tool_run.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/run_prof.cpp)
target_include_directories(viewer_export_tool_tests PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
target_compile_definitions(viewer_export_tool_tests PRIVATE
    PROF_TEST_PPROF="${CMAKE_CURRENT_BINARY_DIR}/pprof/pprof")
target_link_libraries(viewer_export_tool_tests PRIVATE prof_viewer_lib prof_test_support)
add_dependencies(viewer_export_tool_tests prof_viewer)
add_test(NAME "viewer export: build pprof from Debian's Go sources"
         COMMAND sh ${PROF_EXPORT_TEST_DIR}/build_pprof.sh ${CMAKE_CURRENT_BINARY_DIR}/pprof/pprof)
set_tests_properties("viewer export: build pprof from Debian's Go sources" PROPERTIES FIXTURES_SETUP pprof_tool)
catch_discover_tests(viewer_export_tool_tests TEST_PREFIX "viewer export: "
                     PROPERTIES FIXTURES_REQUIRED pprof_tool)
