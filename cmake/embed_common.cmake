# Helpers shared by the cmake/embed_*.cmake scripts (run with cmake -P).

# Sets <out> to C++ literals holding <text> byte for byte: raw strings with the delimiter
# <delim>, one per 16,000 characters (compilers may cap the length of one literal), each on its
# own line after <indent>; "" when the text is empty. <what> names the input in the error when
# the text contains the delimiter itself.
function(chitragupt_raw_literals out text delim what indent)
  if(text MATCHES "\\)${delim}\"")
    message(FATAL_ERROR "${what} contains the raw-string delimiter")
  endif()
  string(LENGTH "${text}" length)
  set(literals "")
  set(offset 0)
  while(offset LESS length)
    string(SUBSTRING "${text}" ${offset} 16000 piece)
    string(APPEND literals "${indent}R\"${delim}(${piece})${delim}\"\n")
    math(EXPR offset "${offset} + 16000")
  endwhile()
  if(length EQUAL 0)
    set(literals "${indent}\"\"\n")
  endif()
  set(${out} "${literals}" PARENT_SCOPE)
endfunction()

# Writes <body> to <path> only when it differs from what is there, so that an unchanged input
# rebuilds nothing.
function(chitragupt_write_if_changed path body)
  get_filename_component(dir "${path}" DIRECTORY)
  file(MAKE_DIRECTORY "${dir}")
  if(EXISTS "${path}")
    file(READ "${path}" old)
    if(old STREQUAL body)
      return()
    endif()
  endif()
  file(WRITE "${path}" "${body}")
endfunction()
