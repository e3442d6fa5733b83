# The `journeysim new` template: the files under new/, embedded in the binary at
# build time so that an installed journeysim needs no source tree. Included from
# cli/CMakeLists.txt; sets JOURNEYSIM_NEW_TEMPLATE_SOURCE to the generated .cpp.
set(_journeysim_template_dir "${CMAKE_CURRENT_LIST_DIR}/new")
# Explicit, in the order `journeysim new` writes them.
set(_journeysim_template_files
    scenario.yaml
    README.md
    journeys/calendar.yaml
    journeys/barrier_matched.yaml
    tables/channels.csv
    tables/content.csv
    tables/content_effects.csv
    tables/segments.csv
    tables/segment_barriers.csv
    tables/segment_stages.csv
    tables/segment_channels.csv
    tables/stage_hazards.csv)
list(TRANSFORM _journeysim_template_files PREPEND "${_journeysim_template_dir}/"
     OUTPUT_VARIABLE _journeysim_template_paths)
string(REPLACE ";" "," _journeysim_template_arg "${_journeysim_template_files}")
set(JOURNEYSIM_NEW_TEMPLATE_SOURCE "${CMAKE_CURRENT_BINARY_DIR}/new_template_files.cpp")
add_custom_command(
  OUTPUT "${JOURNEYSIM_NEW_TEMPLATE_SOURCE}"
  COMMAND "${CMAKE_COMMAND}" "-DOUTPUT=${JOURNEYSIM_NEW_TEMPLATE_SOURCE}"
          "-DBASE_DIR=${_journeysim_template_dir}" "-DFILES=${_journeysim_template_arg}"
          -P "${CMAKE_CURRENT_LIST_DIR}/embed_template.cmake"
  DEPENDS ${_journeysim_template_paths} "${CMAKE_CURRENT_LIST_DIR}/embed_template.cmake"
  COMMENT "Embedding the journeysim new template"
  VERBATIM)
