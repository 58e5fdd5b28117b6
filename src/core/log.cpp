#include "core/log.h"

#include <spdlog/sinks/stdout_color_sinks.h>

namespace fw::core {

void InitLogging(const char* level) {
  static std::shared_ptr<spdlog::logger> logger = [] {
    auto l = spdlog::stderr_color_mt("facewarp");
    l->set_pattern("facewarp: %l: %v");
    spdlog::set_default_logger(l);
    return l;
  }();
  logger->set_level(spdlog::level::from_str(level));
}

}  // namespace fw::core
