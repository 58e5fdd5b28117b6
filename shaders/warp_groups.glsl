// The per-face ("group") uniforms shared by warp.vert and warp.frag: FW_MAX_GROUPS is injected
// from warp::kMaxShaderFaces, the values come from warp::PackWarpPlan.

#ifndef FW_MAX_GROUPS
#error "FW_MAX_GROUPS must be injected (warp::kMaxShaderFaces)"
#endif

uniform vec2 u_source_size;                  // pixels; the target has the same size
uniform int u_num_groups;
uniform vec4 u_group_box[FW_MAX_GROUPS];     // min.xy, max.xy: outside, the group is identity
uniform ivec2 u_group_range[FW_MAX_GROUPS];  // first op, op count
