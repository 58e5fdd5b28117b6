#version 330 core
// One triangle that covers the viewport, made from gl_VertexID alone (draw 3 vertices with an
// empty vertex array). v_uv runs 0..1 across the viewport, v = 0 at the bottom.

out vec2 v_uv;

void main() {
  vec2 p = vec2(float((gl_VertexID << 1) & 2), float(gl_VertexID & 2));  // (0,0) (2,0) (0,2)
  v_uv = p;
  gl_Position = vec4(2.0 * p - 1.0, 0.0, 1.0);
}
