# Shared set-up for every journeysim library: one target per top-level folder,
# an ALIAS journeysim::<name>, C++20 PUBLIC and warnings PRIVATE (as fmt does).
function(journeysim_add_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;HEADERS" ${ARGN})
  add_library(journeysim_${name} ${ARG_SOURCES} ${ARG_HEADERS})
  add_library(journeysim::${name} ALIAS journeysim_${name})
  set_target_properties(journeysim_${name} PROPERTIES EXPORT_NAME ${name}
                        POSITION_INDEPENDENT_CODE ON)
  target_compile_features(journeysim_${name} PUBLIC cxx_std_20)
  target_include_directories(journeysim_${name} PUBLIC
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}>
    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}/journeysim>)
  journeysim_warnings(journeysim_${name})
  # Public headers are installed keeping their folder: <journeysim/agents/x.hpp>.
  foreach(header IN LISTS ARG_HEADERS)
    get_filename_component(dir ${header} DIRECTORY)
    install(FILES ${header}
            DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/journeysim/${name}/${dir})
  endforeach()
endfunction()

function(journeysim_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
                         -Wconversion -Wno-sign-conversion)
endfunction()

# Sanitizers as a cache option, like oneTBB's cmake/sanitize.cmake.
macro(journeysim_apply_sanitizers)
  if(JOURNEYSIM_SANITIZE)
    string(REPLACE ";" "," _journeysim_san "${JOURNEYSIM_SANITIZE}")
    add_compile_options(-fsanitize=${_journeysim_san} -fno-omit-frame-pointer
                        -fno-sanitize-recover=all)
    add_link_options(-fsanitize=${_journeysim_san})
  endif()
endmacro()
