#version 330 core
// The GL floor's draw: every fragment copies its own texel, the least work a full-frame pass
// can do. Drawn with shaders/fullscreen.vert.

uniform sampler2D u_source;

out vec4 o_color;

void main() { o_color = texelFetch(u_source, ivec2(gl_FragCoord.xy), 0); }
