// A wall-clock timeout for a store: a timer thread bumps the store's Interruption::epoch once
// `timeout` has passed, and the store's executor (compiled with epoch checks) traps "interrupt" at
// the next function entry or loop back-edge. Destroying the timer stops its thread.
#pragma once
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "runtime/store.hpp"

namespace loom {

class EpochTimer {
 public:
  // Sets the deadline to the next epoch and starts the thread.
  EpochTimer(Interruption& interruption, std::chrono::nanoseconds timeout);
  ~EpochTimer();
  EpochTimer(const EpochTimer&) = delete;
  EpochTimer& operator=(const EpochTimer&) = delete;

 private:
  std::mutex mutex_;
  std::condition_variable stop_requested_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace loom
