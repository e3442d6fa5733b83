# Install the CLI, the headers and an exported package, so that a user's own
# CMake project can say find_package(journeysim) and link journeysim::sim.
include(CMakePackageConfigHelpers)

install(TARGETS journeysim_agents journeysim_sim journeysim_reports
        EXPORT journeysimTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/journeysim)
install(TARGETS journeysim_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(EXPORT journeysimTargets NAMESPACE journeysim::
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/journeysim)

configure_package_config_file(cmake/journeysimConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/journeysimConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/journeysim)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/journeysimConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/journeysimConfig.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/journeysimConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/journeysim)
