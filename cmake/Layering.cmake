# The include-boundary check, at configure time: every `#include "<module>/..."` in a module's
# sources and headers names a module that it links (directly or through the modules it links).
# The compiler enforces the same through the include roots (src/CMakeLists.txt); this check
# also covers headers that no source of the module includes yet, and names the file and line.

# The fw_* modules target links, directly or through other fw_* modules, as module names.
function(facewarp_module_closure target out)
  set(_seen "")
  set(_todo ${target})
  while(_todo)
    list(POP_FRONT _todo _t)
    get_target_property(_links ${_t} LINK_LIBRARIES)
    foreach(_l IN LISTS _links)
      string(REGEX REPLACE "^facewarp::" "fw_" _l "${_l}")
      if(_l MATCHES "^fw_([a-z_]+)$" AND TARGET ${_l} AND NOT CMAKE_MATCH_1 IN_LIST _seen)
        list(APPEND _seen ${CMAKE_MATCH_1})
        list(APPEND _todo ${_l})
      endif()
    endforeach()
  endwhile()
  set(${out} ${_seen} PARENT_SCOPE)
endfunction()

function(facewarp_check_layering)
  set(_modules ${ARGN})
  set(_problems "")
  foreach(_m IN LISTS _modules)
    facewarp_module_closure(fw_${_m} _may)
    list(APPEND _may ${_m})
    # Every file of the module, the headers included: what is checked, not what is built.
    file(GLOB_RECURSE _files ${PROJECT_SOURCE_DIR}/src/${_m}/*.h ${PROJECT_SOURCE_DIR}/src/${_m}/*.cpp)
    foreach(_f IN LISTS _files)
      file(STRINGS ${_f} _lines REGEX "^[ \t]*#[ \t]*include[ \t]+\"[a-z_]+/")
      foreach(_line IN LISTS _lines)
        string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]+\"([a-z_]+)/.*" "\\1" _used "${_line}")
        if(_used IN_LIST _modules AND NOT _used IN_LIST _may)
          file(RELATIVE_PATH _rel ${PROJECT_SOURCE_DIR} ${_f})
          string(APPEND _problems "\n  ${_rel}: ${_line} (${_m} does not link ${_used})")
        endif()
      endforeach()
    endforeach()
  endforeach()
  if(_problems)
    message(FATAL_ERROR "facewarp layering: a module includes a module it does not link:"
                        "${_problems}\nLink it in the module's CMakeLists.txt if the dependency "
                        "points downward (see src/CMakeLists.txt), or move the code.")
  endif()
endfunction()
