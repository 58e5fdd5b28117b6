# Running from the build tree without installing. Nothing of the source tree's location is
# compiled into facewarp's modules or binary (a package must not name the build machine's
# paths, and objects stay the same across clones, so ccache shares them): the binary finds its
# data relative to itself (core/data_dir.h), and the build tree holds links to the source
# tree's data beside the binaries.

# Links <dir>/{shaders,presets,assets,models} to the source tree's.
function(facewarp_link_data dir)
  file(MAKE_DIRECTORY ${dir})
  foreach(_kind shaders presets assets models)
    file(CREATE_LINK ${PROJECT_SOURCE_DIR}/${_kind} ${dir}/${_kind} SYMBOLIC)
  endforeach()
endfunction()

# Tests and benchmarks read the source tree's data directly (assets, test data, README).
function(facewarp_uses_source_tree target)
  target_compile_definitions(${target} PRIVATE FACEWARP_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
endfunction()
