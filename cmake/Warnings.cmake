# Warnings for the project's own targets (third-party code is compiled without them).
function(facewarp_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow=local
                                           -Wno-unused-parameter)
endfunction()
