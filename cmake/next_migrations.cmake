# For the upgrade drill (tests/upgrade_drill.sh): writes a C++ source holding every
# migrations/*.sql file plus one test-only migration numbered head + 1, for `chitragupt-next`,
# a binary that is the real engine one release later. Head is read from the file names, so the
# drill keeps working when a migration is added.
# Run as: cmake -DSOURCE_DIR=... -DSTAGING_DIR=... -DOUTPUT=... -P next_migrations.cmake
file(GLOB files RELATIVE "${SOURCE_DIR}" "${SOURCE_DIR}/*.sql")
set(head 0)
foreach(f IN LISTS files)
  if(f MATCHES "^([0-9]+)_")
    math(EXPR v "${CMAKE_MATCH_1}")  # drops the leading zeros
    if(v GREATER head)
      set(head ${v})
    endif()
  endif()
endforeach()
math(EXPR next "${head} + 1")
string(LENGTH "${next}" len)
set(label "${next}")
while(len LESS 4)
  set(label "0${label}")
  math(EXPR len "${len} + 1")
endwhile()

file(REMOVE_RECURSE "${STAGING_DIR}")
file(MAKE_DIRECTORY "${STAGING_DIR}")
foreach(f IN LISTS files)
  configure_file("${SOURCE_DIR}/${f}" "${STAGING_DIR}/${f}" COPYONLY)
endforeach()
# Portable SQL for both engines: a table whose row shows the migration ran.
file(WRITE "${STAGING_DIR}/${label}_upgrade_drill.up.sql"
  "-- Test-only (cmake/next_migrations.cmake): the migration chitragupt-next adds.\n"
  "CREATE TABLE upgrade_drill (id INTEGER PRIMARY KEY, note TEXT NOT NULL);\n"
  "INSERT INTO upgrade_drill (id, note) VALUES (1, 'applied by chitragupt-next');\n")
file(WRITE "${STAGING_DIR}/${label}_upgrade_drill.down.sql" "DROP TABLE upgrade_drill;\n")

set(SOURCE_DIR "${STAGING_DIR}")
include("${CMAKE_CURRENT_LIST_DIR}/embed_migrations.cmake")
