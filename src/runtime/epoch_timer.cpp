#include "runtime/epoch_timer.hpp"

namespace loom {

EpochTimer::EpochTimer(Interruption& interruption, std::chrono::nanoseconds timeout) {
  interruption.epoch_deadline = interruption.epoch.load() + 1;
  thread_ =
      std::thread([this, &interruption, deadline = std::chrono::steady_clock::now() + timeout] {
        std::unique_lock lock(mutex_);
        if (!stop_requested_.wait_until(lock, deadline, [this] { return stopping_; })) {
          interruption.epoch.fetch_add(1);
        }
      });
}

EpochTimer::~EpochTimer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stop_requested_.notify_one();
  thread_.join();
}

}  // namespace loom
