# Writes the man page facewarp.1 from the output of `facewarp --help` (run at build time):
#   cmake -DFACEWARP=path/to/facewarp -DOUTPUT=facewarp.1 -DVERSION=0.1.0 -P ManPage.cmake
execute_process(COMMAND ${FACEWARP} --help OUTPUT_VARIABLE help RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "facewarp --help failed (${rc})")
endif()
# roff: backslashes doubled; a line starting with . or ' would be a request.
string(REPLACE "\\" "\\e" help "${help}")
string(REGEX REPLACE "\n([.'])" "\n\\\\&\\1" help "${help}")
string(TIMESTAMP year "%Y")
file(WRITE ${OUTPUT} ".TH FACEWARP 1 \"${year}\" \"facewarp ${VERSION}\" \"User Commands\"
.SH NAME
facewarp \\- slims faces and enlarges eyes, live on a webcam or on files
.SH SYNOPSIS
.B facewarp
[\\fIOPTIONS\\fR]
.SH DESCRIPTION
facewarp finds every face in view, slims it and enlarges its eyes. Without
\\fB--output\\fR it opens a live preview with a control panel (camera choice,
virtual camera, parameters); with files it processes them and exits.
Settings of the live preview are remembered in
\\fI$XDG_CONFIG_HOME/facewarp/settings.json\\fR (\\fI~/.config/facewarp/\\fR);
\\fB--no-config\\fR ignores them.
.SH OPTIONS
.nf
${help}.fi
.SH FILES
.TP
.I /usr/share/facewarp/shaders
the OpenGL shaders
.TP
.I /usr/share/dlib/shape_predictor_68_face_landmarks.dat
the landmark model (package libdlib-data)
.SH SEE ALSO
.BR v4l2-ctl (1),
.BR ffmpeg (1)
")
