# Writes a C++ source defining `const char* <FUNCTION>()` (in namespace <NAMESPACE>) that returns
# the text of one file. Run as:
#   cmake -DINPUT=... -DOUTPUT=... -DNAMESPACE=... -DFUNCTION=... -P embed_text.cmake
include("${CMAKE_CURRENT_LIST_DIR}/embed_common.cmake")
file(READ "${INPUT}" text)
get_filename_component(name "${INPUT}" NAME)
chitragupt_raw_literals(literals "${text}" chitragupt_text "${INPUT}" "      ")
set(body "// Generated from ${name} by cmake/embed_text.cmake. Do not edit.\n\n")
string(APPEND body "namespace ${NAMESPACE} {\n\nconst char* ${FUNCTION}() {\n")
string(APPEND body "  static const char* const text =\n${literals}      ;\n  return text;\n}\n\n")
string(APPEND body "}  // namespace ${NAMESPACE}\n")
chitragupt_write_if_changed("${OUTPUT}" "${body}")
