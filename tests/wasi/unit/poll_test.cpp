// poll_oneoff: clock subscriptions (relative, absolute, realtime, monotonic), fd readiness on
// pipes and files, hangup, bad descriptors and wild pointers. Elapsed time is only ever checked
// from below: a loaded machine may be slow, but a timer must never fire early.
#include <chrono>
#include <ctime>

#include "host_fds.hpp"

namespace loom::wasi::testing {
namespace {

constexpr uint32_t kIn = 1024, kOut = 4096, kCount = 0;
constexpr uint64_t kMs = 1'000'000;

struct Event {
  uint64_t userdata;
  Errno error;
  uint8_t type;
  uint64_t nbytes;
  uint16_t flags;
};

class PollTest : public HostFdFixture {
 protected:
  uint32_t subs_ = 0;

  void add_clock(uint64_t userdata, uint32_t clock, uint64_t timeout, uint16_t flags = 0) {
    const uint32_t at = kIn + subs_++ * layout::kSubscriptionSize;
    std::memset(mem() + at, 0, layout::kSubscriptionSize);
    store<uint64_t>(at + layout::kSubUserdata, userdata);
    store<uint8_t>(at + layout::kSubTag, kEventClock);
    store<uint32_t>(at + layout::kSubClockId, clock);
    store<uint64_t>(at + layout::kSubClockTimeout, timeout);
    store<uint16_t>(at + layout::kSubClockFlags, flags);
  }
  void add_fd(uint64_t userdata, uint8_t type, uint32_t fd) {
    const uint32_t at = kIn + subs_++ * layout::kSubscriptionSize;
    std::memset(mem() + at, 0, layout::kSubscriptionSize);
    store<uint64_t>(at + layout::kSubUserdata, userdata);
    store<uint8_t>(at + layout::kSubTag, type);
    store<uint32_t>(at + layout::kSubFd, fd);
  }

  Errno poll() { return call("poll_oneoff", {kIn, kOut, subs_, kCount}); }

  std::vector<Event> events() {
    std::vector<Event> result;
    for (uint32_t i = 0; i < load<uint32_t>(kCount); ++i) {
      const uint32_t at = kOut + i * layout::kEventSize;
      result.push_back(Event{load<uint64_t>(at + layout::kEventUserdata),
                             static_cast<Errno>(load<uint16_t>(at + layout::kEventError)),
                             load<uint8_t>(at + layout::kEventType),
                             load<uint64_t>(at + layout::kEventNbytes),
                             load<uint16_t>(at + layout::kEventFlags)});
    }
    return result;
  }

  // Polls and returns the elapsed time in ns.
  uint64_t timed_poll() {
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(poll(), Errno::Success);
    return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                     std::chrono::steady_clock::now() - start)
                                     .count());
  }

  static uint64_t clock_now(clockid_t clock) {
    timespec ts{};
    clock_gettime(clock, &ts);
    return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000u + static_cast<uint64_t>(ts.tv_nsec);
  }

  // A pipe whose ends are injected; returns {read fd, write fd}.
  std::pair<uint32_t, uint32_t> make_pipe() {
    int fds[2];
    EXPECT_EQ(pipe2(fds, O_CLOEXEC), 0);
    return {inject(fds[0], Filetype::Unknown, right::kStream),
            inject(fds[1], Filetype::Unknown, right::kStream)};
  }
};

TEST_F(PollTest, NoSubscriptionsIsInval) {
  EXPECT_EQ(call("poll_oneoff", {kIn, kOut, 0, kCount}), Errno::Inval);
}

TEST_F(PollTest, RelativeSleepDoesNotWakeEarly) {
  for (uint32_t clock : {kClockMonotonic, kClockRealtime}) {
    subs_ = 0;
    add_clock(42, clock, 10 * kMs);
    EXPECT_GE(timed_poll(), 10 * kMs) << clock;
    const std::vector<Event> got = events();
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].userdata, 42u);
    EXPECT_EQ(got[0].error, Errno::Success);
    EXPECT_EQ(got[0].type, kEventClock);
  }
}

TEST_F(PollTest, AbsoluteDeadlines) {
  add_clock(1, kClockMonotonic, clock_now(CLOCK_MONOTONIC) + 10 * kMs, kSubclockAbstime);
  EXPECT_GE(timed_poll(), 9 * kMs);  // the deadline was taken a moment before the call
  EXPECT_EQ(events().size(), 1u);
  subs_ = 0;
  add_clock(2, kClockRealtime, clock_now(CLOCK_REALTIME) + 10 * kMs, kSubclockAbstime);
  EXPECT_GE(timed_poll(), 9 * kMs);
  ASSERT_EQ(events().size(), 1u);
  EXPECT_EQ(events()[0].userdata, 2u);
  // Deadlines in the past fire at once.
  subs_ = 0;
  add_clock(3, kClockMonotonic, 1, kSubclockAbstime);
  add_clock(4, kClockRealtime, 1, kSubclockAbstime);
  EXPECT_EQ(poll(), Errno::Success);
  EXPECT_EQ(events().size(), 2u);
}

TEST_F(PollTest, EarliestClockWins) {
  add_clock(1, kClockMonotonic, 10'000 * kMs);
  add_clock(2, kClockMonotonic, 10 * kMs);
  EXPECT_GE(timed_poll(), 10 * kMs);
  const std::vector<Event> got = events();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].userdata, 2u);
}

TEST_F(PollTest, BadSubscriptionsAreInval) {
  add_clock(1, kClockProcessCputime, 1);
  EXPECT_EQ(poll(), Errno::Inval);
  subs_ = 0;
  add_clock(1, 9, 1);
  EXPECT_EQ(poll(), Errno::Inval);
  subs_ = 0;
  add_clock(1, kClockMonotonic, 1, 2);  // not a subclockflag
  EXPECT_EQ(poll(), Errno::Inval);
  subs_ = 0;
  add_fd(1, 3, 0);  // not an event type
  EXPECT_EQ(poll(), Errno::Inval);
}

TEST_F(PollTest, WildPointers) {
  add_clock(1, kClockMonotonic, 0);
  EXPECT_EQ(call("poll_oneoff", {mem_size() - 47, kOut, 1, kCount}), Errno::Fault);
  EXPECT_EQ(call("poll_oneoff", {kIn, mem_size() - 31, 1, kCount}), Errno::Fault);
  EXPECT_EQ(call("poll_oneoff", {kIn, kOut, 1, mem_size() - 3}), Errno::Fault);
  EXPECT_EQ(call("poll_oneoff", {kIn, kOut, 0xffffffff, kCount}), Errno::Fault);
  EXPECT_EQ(call("poll_oneoff", {kIn, kOut, 0x10000000, kCount}), Errno::Fault);  // 48 * n > 2^32
  // The out array must hold one event per subscription even when fewer fire.
  EXPECT_EQ(call("poll_oneoff", {kIn, mem_size() - 32, 1, kCount}), Errno::Success);
}

TEST_F(PollTest, PipeWithoutDataTimesOut) {
  const auto [read_end, write_end] = make_pipe();
  add_fd(7, kEventFdRead, read_end);
  add_clock(8, kClockMonotonic, 10 * kMs);
  EXPECT_GE(timed_poll(), 10 * kMs);
  const std::vector<Event> got = events();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].userdata, 8u);
  (void)write_end;
}

TEST_F(PollTest, PipeWithDataIsReadable) {
  const auto [read_end, write_end] = make_pipe();
  ASSERT_EQ(::write(host_fd(write_end), "hello", 5), 5);
  add_clock(8, kClockMonotonic, 10'000 * kMs);
  add_fd(7, kEventFdRead, read_end);
  EXPECT_EQ(poll(), Errno::Success);
  const std::vector<Event> got = events();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].userdata, 7u);
  EXPECT_EQ(got[0].type, kEventFdRead);
  EXPECT_EQ(got[0].error, Errno::Success);
  EXPECT_EQ(got[0].nbytes, 5u);
  EXPECT_EQ(got[0].flags, 0);
}

TEST_F(PollTest, PipeWriteEndIsWritable) {
  const auto [read_end, write_end] = make_pipe();
  add_fd(7, kEventFdRead, read_end);  // nothing to read
  add_fd(9, kEventFdWrite, write_end);
  EXPECT_EQ(poll(), Errno::Success);
  const std::vector<Event> got = events();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].userdata, 9u);
  EXPECT_EQ(got[0].type, kEventFdWrite);
}

TEST_F(PollTest, ClosedWriterIsHangup) {
  const auto [read_end, write_end] = make_pipe();
  ASSERT_EQ(call("fd_close", {write_end}), Errno::Success);
  add_fd(7, kEventFdRead, read_end);
  EXPECT_EQ(poll(), Errno::Success);
  const std::vector<Event> got = events();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].error, Errno::Success);
  EXPECT_EQ(got[0].flags, kEventFdReadwriteHangup);
}

TEST_F(PollTest, RegularFileIsReadyWithBytesLeft) {
  const uint32_t fd = inject_file("f", "0123456789");
  ASSERT_EQ(lseek(host_fd(fd), 4, SEEK_SET), 4);
  add_fd(1, kEventFdRead, fd);
  add_fd(2, kEventFdWrite, fd);
  EXPECT_EQ(poll(), Errno::Success);
  std::vector<Event> got = events();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].nbytes, 6u);
  EXPECT_EQ(got[0].flags, 0);
  EXPECT_EQ(got[1].type, kEventFdWrite);
  // At the end of the file: nothing left, flagged as hangup as wasmtime does.
  ASSERT_EQ(lseek(host_fd(fd), 0, SEEK_END), 10);
  EXPECT_EQ(poll(), Errno::Success);
  got = events();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].nbytes, 0u);
  EXPECT_EQ(got[0].flags, kEventFdReadwriteHangup);
}

TEST_F(PollTest, BadFdIsAnEvent) {
  add_clock(1, kClockMonotonic, 10'000 * kMs);
  add_fd(2, kEventFdRead, 77);
  EXPECT_EQ(poll(), Errno::Success);
  const std::vector<Event> got = events();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].userdata, 2u);
  EXPECT_EQ(got[0].error, Errno::Badf);
  EXPECT_EQ(got[0].type, kEventFdRead);
}

TEST_F(PollTest, MissingPollRightFailsTheCall) {
  const uint32_t fd = inject_file("f", "x", right::kRegularFile & ~right::kPollFdReadwrite);
  add_fd(1, kEventFdRead, fd);
  EXPECT_EQ(poll(), Errno::NotCapable);
}

}  // namespace
}  // namespace loom::wasi::testing
