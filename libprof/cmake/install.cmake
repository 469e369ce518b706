# Install layout and the CMake / pkg-config packages that let consumers find libprof.
include(CMakePackageConfigHelpers)

install(TARGETS prof EXPORT libprofTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
if(TARGET prof_mpi)
  install(TARGETS prof_mpi EXPORT libprofTargets LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
endif()
if(TARGET prof_mpi_mpich)  # preloaded by prof run under MPICH's launcher, not linked: outside the export
  install(TARGETS prof_mpi_mpich LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
endif()
install(DIRECTORY ${PROJECT_SOURCE_DIR}/libprof/include/prof ${PROJECT_BINARY_DIR}/include/prof
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS prof_preload LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(TARGETS prof_viewer RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

set(LIBPROF_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/libprof)
install(EXPORT libprofTargets NAMESPACE libprof:: DESTINATION ${LIBPROF_CMAKE_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/libprof/cmake/libprofConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/libprofConfig.cmake INSTALL_DESTINATION ${LIBPROF_CMAKE_DIR}
                              PATH_VARS CMAKE_INSTALL_LIBDIR CMAKE_INSTALL_BINDIR)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/libprofConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/libprofConfig.cmake ${PROJECT_BINARY_DIR}/libprofConfigVersion.cmake
              ${PROJECT_SOURCE_DIR}/libprof/cmake/instrument.cmake DESTINATION ${LIBPROF_CMAKE_DIR})

file(RELATIVE_PATH PC_RELATIVE_PREFIX /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
string(REGEX REPLACE "/$" "" PC_RELATIVE_PREFIX "${PC_RELATIVE_PREFIX}")
configure_file(${PROJECT_SOURCE_DIR}/libprof/cmake/libprof.pc.in ${PROJECT_BINARY_DIR}/libprof.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/libprof.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
