// The wasi_snapshot_preview1 ABI: enumerations, bit sets and the byte layout of the structures
// the guest passes through its linear memory (all little-endian, offsets as in the witx spec).
#pragma once
#include <cstdint>

namespace loom::wasi {

enum class Errno : uint16_t {
  Success = 0,
  TooBig = 1,
  Acces = 2,
  AddrInUse = 3,
  AddrNotAvail = 4,
  AfNoSupport = 5,
  Again = 6,
  Already = 7,
  Badf = 8,
  BadMsg = 9,
  Busy = 10,
  Canceled = 11,
  Child = 12,
  ConnAborted = 13,
  ConnRefused = 14,
  ConnReset = 15,
  Deadlk = 16,
  DestAddrReq = 17,
  Dom = 18,
  Dquot = 19,
  Exist = 20,
  Fault = 21,
  Fbig = 22,
  HostUnreach = 23,
  Idrm = 24,
  Ilseq = 25,
  InProgress = 26,
  Intr = 27,
  Inval = 28,
  Io = 29,
  IsConn = 30,
  IsDir = 31,
  Loop = 32,
  Mfile = 33,
  Mlink = 34,
  MsgSize = 35,
  Multihop = 36,
  NameTooLong = 37,
  NetDown = 38,
  NetReset = 39,
  NetUnreach = 40,
  Nfile = 41,
  NoBufs = 42,
  NoDev = 43,
  NoEnt = 44,
  NoExec = 45,
  NoLck = 46,
  NoLink = 47,
  NoMem = 48,
  NoMsg = 49,
  NoProtoOpt = 50,
  NoSpc = 51,
  NoSys = 52,
  NotConn = 53,
  NotDir = 54,
  NotEmpty = 55,
  NotRecoverable = 56,
  NotSock = 57,
  NotSup = 58,
  NoTty = 59,
  Nxio = 60,
  Overflow = 61,
  OwnerDead = 62,
  Perm = 63,
  Pipe = 64,
  Proto = 65,
  ProtoNoSupport = 66,
  ProtoType = 67,
  Range = 68,
  Rofs = 69,
  Spipe = 70,
  Srch = 71,
  Stale = 72,
  TimedOut = 73,
  TxtBsy = 74,
  Xdev = 75,
  NotCapable = 76,
};

// Rights: which operations a descriptor allows (bit positions from the spec).
using Rights = uint64_t;
namespace right {
inline constexpr Rights kFdDatasync = 1ull << 0;
inline constexpr Rights kFdRead = 1ull << 1;
inline constexpr Rights kFdSeek = 1ull << 2;
inline constexpr Rights kFdFdstatSetFlags = 1ull << 3;
inline constexpr Rights kFdSync = 1ull << 4;
inline constexpr Rights kFdTell = 1ull << 5;
inline constexpr Rights kFdWrite = 1ull << 6;
inline constexpr Rights kFdAdvise = 1ull << 7;
inline constexpr Rights kFdAllocate = 1ull << 8;
inline constexpr Rights kPathCreateDirectory = 1ull << 9;
inline constexpr Rights kPathCreateFile = 1ull << 10;
inline constexpr Rights kPathLinkSource = 1ull << 11;
inline constexpr Rights kPathLinkTarget = 1ull << 12;
inline constexpr Rights kPathOpen = 1ull << 13;
inline constexpr Rights kFdReaddir = 1ull << 14;
inline constexpr Rights kPathReadlink = 1ull << 15;
inline constexpr Rights kPathRenameSource = 1ull << 16;
inline constexpr Rights kPathRenameTarget = 1ull << 17;
inline constexpr Rights kPathFilestatGet = 1ull << 18;
inline constexpr Rights kPathFilestatSetSize = 1ull << 19;
inline constexpr Rights kPathFilestatSetTimes = 1ull << 20;
inline constexpr Rights kFdFilestatGet = 1ull << 21;
inline constexpr Rights kFdFilestatSetSize = 1ull << 22;
inline constexpr Rights kFdFilestatSetTimes = 1ull << 23;
inline constexpr Rights kPathSymlink = 1ull << 24;
inline constexpr Rights kPathRemoveDirectory = 1ull << 25;
inline constexpr Rights kPathUnlinkFile = 1ull << 26;
inline constexpr Rights kPollFdReadwrite = 1ull << 27;
inline constexpr Rights kSockShutdown = 1ull << 28;
inline constexpr Rights kSockAccept = 1ull << 29;
inline constexpr Rights kAll = (1ull << 30) - 1;

// What a regular file, a directory and a stream (tty, pipe, socket) can be granted at most.
inline constexpr Rights kRegularFile =
    kFdDatasync | kFdRead | kFdSeek | kFdFdstatSetFlags | kFdSync | kFdTell | kFdWrite | kFdAdvise |
    kFdAllocate | kFdFilestatGet | kFdFilestatSetSize | kFdFilestatSetTimes | kPollFdReadwrite;
inline constexpr Rights kDirectory =
    kFdFdstatSetFlags | kFdSync | kFdAdvise | kPathCreateDirectory | kPathCreateFile |
    kPathLinkSource | kPathLinkTarget | kPathOpen | kFdReaddir | kPathReadlink | kPathRenameSource |
    kPathRenameTarget | kPathFilestatGet | kPathFilestatSetSize | kPathFilestatSetTimes |
    kFdFilestatGet | kFdFilestatSetTimes | kPathSymlink | kPathRemoveDirectory | kPathUnlinkFile |
    kPollFdReadwrite;
inline constexpr Rights kStream = kFdRead | kFdFdstatSetFlags | kFdWrite | kFdFilestatGet |
                                  kPollFdReadwrite | kSockShutdown | kSockAccept;
// Rights that modify the file system: a read-only preopen never grants them.
inline constexpr Rights kMutating =
    kFdDatasync | kFdWrite | kFdAllocate | kPathCreateDirectory | kPathCreateFile |
    kPathLinkSource | kPathLinkTarget | kPathRenameSource | kPathRenameTarget |
    kPathFilestatSetSize | kPathFilestatSetTimes | kFdFilestatSetSize | kFdFilestatSetTimes |
    kPathSymlink | kPathRemoveDirectory | kPathUnlinkFile;
// Rights that make a descriptor writable (wasi-libc asks for them exactly for O_WRONLY/O_RDWR).
inline constexpr Rights kWriteAccess = kFdWrite | kFdDatasync | kFdAllocate | kFdFilestatSetSize;
}  // namespace right

enum class Filetype : uint8_t {
  Unknown = 0,
  BlockDevice = 1,
  CharacterDevice = 2,
  Directory = 3,
  RegularFile = 4,
  SocketDgram = 5,
  SocketStream = 6,
  SymbolicLink = 7,
};

// fdflags
inline constexpr uint16_t kFdflagAppend = 1, kFdflagDsync = 2, kFdflagNonblock = 4,
                          kFdflagRsync = 8, kFdflagSync = 16;
// oflags
inline constexpr uint16_t kOflagCreat = 1, kOflagDirectory = 2, kOflagExcl = 4, kOflagTrunc = 8;
// lookupflags
inline constexpr uint32_t kLookupSymlinkFollow = 1;
// fstflags
inline constexpr uint16_t kFstAtim = 1, kFstAtimNow = 2, kFstMtim = 4, kFstMtimNow = 8;
// whence
inline constexpr uint8_t kWhenceSet = 0, kWhenceCur = 1, kWhenceEnd = 2;
// clockid
inline constexpr uint32_t kClockRealtime = 0, kClockMonotonic = 1, kClockProcessCputime = 2,
                          kClockThreadCputime = 3;
// advice
inline constexpr uint8_t kAdviceNormal = 0, kAdviceSequential = 1, kAdviceRandom = 2,
                         kAdviceWillneed = 3, kAdviceDontneed = 4, kAdviceNoreuse = 5;
// eventtype and event flags
inline constexpr uint8_t kEventClock = 0, kEventFdRead = 1, kEventFdWrite = 2;
inline constexpr uint16_t kEventFdReadwriteHangup = 1;
inline constexpr uint16_t kSubclockAbstime = 1;
// riflags, roflags, sdflags
inline constexpr uint16_t kRecvPeek = 1, kRecvWaitall = 2, kRecvDataTruncated = 1;
inline constexpr uint8_t kShutRd = 1, kShutWr = 2;
inline constexpr uint8_t kPreopenTypeDir = 0;

// Structure layouts: size and field offsets.
namespace layout {
inline constexpr uint32_t kIovecSize = 8;  // buf: u32 @0, buf_len: u32 @4
inline constexpr uint32_t kFdstatSize = 24;
inline constexpr uint32_t kFdstatFiletype = 0, kFdstatFlags = 2, kFdstatRightsBase = 8,
                          kFdstatRightsInheriting = 16;
inline constexpr uint32_t kFilestatSize = 64;
inline constexpr uint32_t kFilestatDev = 0, kFilestatIno = 8, kFilestatFiletype = 16,
                          kFilestatNlink = 24, kFilestatSize_ = 32, kFilestatAtim = 40,
                          kFilestatMtim = 48, kFilestatCtim = 56;
inline constexpr uint32_t kDirentSize = 24;
inline constexpr uint32_t kDirentNext = 0, kDirentIno = 8, kDirentNamlen = 16, kDirentType = 20;
inline constexpr uint32_t kPrestatSize = 8;
inline constexpr uint32_t kPrestatTag = 0, kPrestatNameLen = 4;
inline constexpr uint32_t kSubscriptionSize = 48;
inline constexpr uint32_t kSubUserdata = 0, kSubTag = 8, kSubClockId = 16, kSubClockTimeout = 24,
                          kSubClockPrecision = 32, kSubClockFlags = 40, kSubFd = 16;
inline constexpr uint32_t kEventSize = 32;
inline constexpr uint32_t kEventUserdata = 0, kEventError = 8, kEventType = 10, kEventNbytes = 16,
                          kEventFlags = 24;
}  // namespace layout

}  // namespace loom::wasi
