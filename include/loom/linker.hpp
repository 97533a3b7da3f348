// Host functions from ordinary C++ callables, typed calls, and the Linker, which resolves a
// module's imports by name (host functions, other instances' exports, WASI) and instantiates it.
//
// A callable's wasm type comes from its C++ types: int32_t/uint32_t -> i32, int64_t/uint64_t ->
// i64, float -> f32, double -> f64; it may take a `Caller&` first and return void, one value, a
// std::tuple of values, or a Result of those (an Error traps the guest with its message).
#pragma once
#include <functional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "loom/runtime.hpp"

namespace loom::api {

namespace detail {

template <typename T>
struct WasmValue {
  static constexpr bool supported = false;
};
template <>
struct WasmValue<int32_t> {
  static constexpr bool supported = true;
  static constexpr ValKind kind = ValKind::I32;
  static int32_t get(const RawVal& v) { return v.i32; }
  static void put(RawVal& v, int32_t x) { v.i32 = x; }
};
template <>
struct WasmValue<uint32_t> {
  static constexpr bool supported = true;
  static constexpr ValKind kind = ValKind::I32;
  static uint32_t get(const RawVal& v) { return static_cast<uint32_t>(v.i32); }
  static void put(RawVal& v, uint32_t x) { v.i32 = static_cast<int32_t>(x); }
};
template <>
struct WasmValue<int64_t> {
  static constexpr bool supported = true;
  static constexpr ValKind kind = ValKind::I64;
  static int64_t get(const RawVal& v) { return v.i64; }
  static void put(RawVal& v, int64_t x) { v.i64 = x; }
};
template <>
struct WasmValue<uint64_t> {
  static constexpr bool supported = true;
  static constexpr ValKind kind = ValKind::I64;
  static uint64_t get(const RawVal& v) { return static_cast<uint64_t>(v.i64); }
  static void put(RawVal& v, uint64_t x) { v.i64 = static_cast<int64_t>(x); }
};
template <>
struct WasmValue<float> {
  static constexpr bool supported = true;
  static constexpr ValKind kind = ValKind::F32;
  static float get(const RawVal& v) { return v.f32; }
  static void put(RawVal& v, float x) { v.f32 = x; }
};
template <>
struct WasmValue<double> {
  static constexpr bool supported = true;
  static constexpr ValKind kind = ValKind::F64;
  static double get(const RawVal& v) { return v.f64; }
  static void put(RawVal& v, double x) { v.f64 = x; }
};

// Results: void, T, std::tuple<T...>, and Result<any of those> (Ok for void).
template <typename R>
struct Results {
  static_assert(WasmValue<R>::supported, "host function result type has no wasm type");
  using Value = R;
  static std::vector<ValKind> kinds() { return {WasmValue<R>::kind}; }
  static void put(RawVal* out, R&& r) { WasmValue<R>::put(out[0], r); }
  static R get(const RawVal* in) { return WasmValue<R>::get(in[0]); }
  static constexpr size_t count = 1;
};
template <>
struct Results<void> {
  using Value = Ok;
  static std::vector<ValKind> kinds() { return {}; }
  static Ok get(const RawVal*) { return {}; }
  static constexpr size_t count = 0;
};
template <typename... T>
struct Results<std::tuple<T...>> {
  static_assert((WasmValue<T>::supported && ...), "tuple element has no wasm type");
  using Value = std::tuple<T...>;
  static std::vector<ValKind> kinds() { return {WasmValue<T>::kind...}; }
  static void put(RawVal* out, std::tuple<T...>&& r) {
    put_each(out, r, std::index_sequence_for<T...>{});
  }
  template <size_t... I>
  static void put_each(RawVal* out, std::tuple<T...>& r, std::index_sequence<I...>) {
    (WasmValue<T>::put(out[I], std::get<I>(r)), ...);
  }
  static std::tuple<T...> get(const RawVal* in) {
    return get_each(in, std::index_sequence_for<T...>{});
  }
  template <size_t... I>
  static std::tuple<T...> get_each(const RawVal* in, std::index_sequence<I...>) {
    return std::tuple<T...>(WasmValue<T>::get(in[I])...);
  }
  static constexpr size_t count = sizeof...(T);
};

template <typename R>
struct HostReturn : Results<R> {
  template <typename Call>
  static Status run(Call&& call, RawVal* out) {
    if constexpr (std::is_void_v<R>) {
      call();
    } else {
      Results<R>::put(out, call());
    }
    return Ok{};
  }
};
template <typename R>
struct HostReturn<Result<R>> : Results<R> {
  template <typename Call>
  static Status run(Call&& call, RawVal* out) {
    Result<R> r = call();
    if (!r) return r.error();
    Results<R>::put(out, std::move(*r));
    return Ok{};
  }
};
template <>
struct HostReturn<Status> : Results<void> {
  template <typename Call>
  static Status run(Call&& call, RawVal*) {
    return call();
  }
};

template <typename T>
struct Signature;
template <typename R, typename... A>
struct Signature<R(A...)> {
  using Return = R;
  using Args = std::tuple<A...>;
};
template <typename R, typename... A>
struct Signature<R (*)(A...)> : Signature<R(A...)> {};
template <typename C, typename R, typename... A>
struct Signature<R (C::*)(A...) const> : Signature<R(A...)> {};
template <typename C, typename R, typename... A>
struct Signature<R (C::*)(A...)> : Signature<R(A...)> {};

template <typename F, typename = void>
struct CallableSignature : Signature<std::decay_t<F>> {};
template <typename F>
struct CallableSignature<F, std::void_t<decltype(&std::decay_t<F>::operator())>>
    : Signature<decltype(&std::decay_t<F>::operator())> {};

template <typename Args>
struct HostArgs;
template <typename... A>
struct HostArgs<std::tuple<A...>> {
  static constexpr bool takes_caller = false;
  static std::vector<ValKind> kinds() { return {WasmValue<std::decay_t<A>>::kind...}; }
  template <typename F, size_t... I>
  static decltype(auto) invoke(F& f, Caller&, const RawVal* in, std::index_sequence<I...>) {
    return f(WasmValue<std::decay_t<A>>::get(in[I])...);
  }
  static constexpr size_t count = sizeof...(A);
};
template <typename... A>
struct HostArgs<std::tuple<Caller&, A...>> {
  static constexpr bool takes_caller = true;
  static std::vector<ValKind> kinds() { return {WasmValue<std::decay_t<A>>::kind...}; }
  template <typename F, size_t... I>
  static decltype(auto) invoke(F& f, Caller& caller, const RawVal* in, std::index_sequence<I...>) {
    return f(caller, WasmValue<std::decay_t<A>>::get(in[I])...);
  }
  static constexpr size_t count = sizeof...(A);
};

// The wasm type and the raw adaptor of a C++ callable.
template <typename F>
std::pair<FuncType, RawHostFunc> wrap_callable(F&& callable) {
  using Sig = CallableSignature<F>;
  using Args = HostArgs<typename Sig::Args>;
  using Ret = HostReturn<typename Sig::Return>;
  FuncType type{Args::kinds(), Ret::kinds()};
  RawHostFunc raw = [f = std::forward<F>(callable)](Caller& caller, std::span<const RawVal> args,
                                                    std::span<RawVal> results) mutable -> Status {
    return Ret::run(
        [&]() -> decltype(auto) {
          return Args::invoke(f, caller, args.data(), std::make_index_sequence<Args::count>{});
        },
        results.data());
  };
  return {std::move(type), std::move(raw)};
}

}  // namespace detail

template <typename F>
Func Func::wrap(Store& store, F&& callable) {
  auto [type, raw] = detail::wrap_callable(std::forward<F>(callable));
  return create_raw(store, type, std::move(raw));
}

// A function called with C++ arguments and results: func.typed<int32_t(int32_t)>().
template <typename R, typename... A>
class TypedFunc<R(A...)> {
 public:
  using Return = typename detail::Results<R>::Value;
  explicit TypedFunc(Func func) : func_(func) {}
  Result<Return> call(A... args) const {
    constexpr size_t kArgs = sizeof...(A);
    constexpr size_t kResults = detail::Results<R>::count;
    std::array<RawVal, kArgs ? kArgs : 1> in{};
    std::array<RawVal, kResults ? kResults : 1> out{};
    size_t i = 0;
    ((detail::WasmValue<A>::put(in[i++], args)), ...);
    Status status = func_.call_raw(in.data(), out.data());
    if (!status) return status.error();
    return detail::Results<R>::get(out.data());
  }
  Result<Return> operator()(A... args) const { return call(args...); }
  const Func& func() const { return func_; }

 private:
  Func func_;
};

template <typename Signature>
Result<TypedFunc<Signature>> Func::typed() const {
  using Sig = detail::Signature<Signature>;
  using Args = detail::HostArgs<typename Sig::Args>;
  FuncType expected{Args::kinds(), detail::Results<typename Sig::Return>::kinds()};
  FuncType actual = type();
  if (!(actual == expected)) {
    return Error(ErrorKind::Usage,
                 "function type is " + to_string(actual) + ", not " + to_string(expected));
  }
  return TypedFunc<Signature>(*this);
}

// WASI preview 1 for the instances a Linker makes (wasmtime's names).
struct WasiConfig {
  struct Preopen {
    std::string host_path;
    std::string guest_path;
    bool read_only = false;
  };
  std::vector<std::string> args;  // argv, argv[0] included
  std::vector<std::string> env;   // "KEY=VALUE"
  std::vector<Preopen> preopens;  // fds 3, 4, ... in this order
  // Host sockets (listening or connected) the guest gets as the fds after the preopens. The
  // first WASI context made from this config owns and closes them.
  std::vector<int> sockets;
  // Host descriptors the guest's 0, 1 and 2 use (borrowed; inherit the host's by default).
  int stdin_fd = 0, stdout_fd = 1, stderr_fd = 2;

  WasiConfig& arg(std::string a) {
    args.push_back(std::move(a));
    return *this;
  }
  WasiConfig& preopen_dir(std::string host, std::string guest, bool read_only = false) {
    preopens.push_back({std::move(host), std::move(guest), read_only});
    return *this;
  }
};

namespace detail {
struct LinkerState;
}

class LOOM_API Linker {
 public:
  explicit Linker(const Engine& engine);
  ~Linker();
  Linker(const Linker&);
  Linker& operator=(const Linker&);
  Linker(Linker&&) noexcept;
  Linker& operator=(Linker&&) noexcept;

  // A host function from a C++ callable; it may take `Caller&` first (the instance importing it).
  template <typename F>
  Status func_wrap(std::string_view module, std::string_view name, F&& callable) {
    auto [type, raw] = detail::wrap_callable(std::forward<F>(callable));
    return func_new_raw(module, name, type, std::move(raw));
  }
  Status func_new(std::string_view module, std::string_view name, const FuncType& type,
                  HostFunc host);
  Status func_new_raw(std::string_view module, std::string_view name, const FuncType& type,
                      RawHostFunc host);
  // An object of a store; instantiating into another store fails (Link).
  Status define(std::string_view module, std::string_view name, const Extern& item);
  // Every export of `instance` under the module name `module`.
  Status define_instance(std::string_view module, const Instance& instance);
  // wasi_snapshot_preview1: each instance that imports it gets its own WASI context with
  // `config`; its memory is the instance's export "memory".
  Status define_wasi(WasiConfig config);
  // A later definition of the same name replaces an earlier one instead of failing.
  void allow_shadowing(bool allow);

  // Resolves `module`'s imports by (module, name) and instantiates it (start function included).
  Result<Instance> instantiate(Store& store, const Module& module) const;

 private:
  std::unique_ptr<detail::LinkerState> state_;
};

// The WASI exit status of an instance made by a Linker, once its guest called proc_exit.
LOOM_API std::optional<uint32_t> wasi_exit_code(const Instance& instance);

}  // namespace loom::api

#ifndef LOOM_BUILDING_LIBRARY
namespace loom {
using namespace ::loom::api;
}  // namespace loom
#endif
