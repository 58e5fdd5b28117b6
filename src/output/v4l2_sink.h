// The virtual camera: frames written with write(2) to a V4L2 output device (v4l2loopback) at a
// fixed size, pixel format and rate. Write() and Finish() come from one thread; Write() fits and
// converts there and hands the frame over; the sink's own writer thread writes the newest frame.
#pragma once

#include <memory>
#include <string>

#include "core/result.h"
#include "output/sink.h"
#include "output/sink_spec.h"
#include "output/v4l2_device.h"

namespace fw::output {

// The module load line that error messages and the docs suggest.
extern const char kV4l2LoopbackHint[];

// Opens `path` for output; each refusal is one runtime error line: the path does not exist
// (load v4l2loopback), is not a V4L2 device (no character device, or VIDIOC_QUERYCAP fails),
// cannot output video by write(2) (a capture-only camera), is busy (EBUSY, or a loopback that
// another writer holds), refuses the format, or gives back another one (an app reading it holds
// its size). Options out of range are usage errors. A driver that refuses the frame interval
// (VIDIOC_S_PARM) is not an error: the sink paces its writes itself.
//
// Frames of any size are fitted to the options' size (letterbox or crop). The writer thread
// writes one whole frame per tick of options.fps (never queueing: readers get the newest
// picture), repeats the last frame while no new one comes so that readers never time out, and
// sends black until the first Write(): v4l2loopback with exclusive_caps=1 offers the device to
// apps as a camera only once a frame has been written. A write failure (the module unloaded)
// is returned by the next Write() or Finish(). Finish() stops the writer and closes the device.
core::Result<std::unique_ptr<Sink>> OpenV4l2Sink(
    const std::string& path, const CameraOptions& options,
    std::shared_ptr<V4l2Device> device = SystemV4l2Device());

}  // namespace fw::output
