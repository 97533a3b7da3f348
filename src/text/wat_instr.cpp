// Instruction sequences: plain and folded forms, blocks, if/then/else, labels. Encodes straight to
// bytes. Nesting is tracked by an explicit frame stack, never by host recursion, so arbitrarily
// deep input cannot overflow the host stack.
#include <memory>

#include "ir/limits.hpp"

#include "text/wat_parser.hpp"

namespace loom::text {
namespace {

enum class FrameKind : uint8_t {
  Root,         // the sequence being parsed; ends at `end`
  Plain,        // block/loop/if written with `end`
  FoldedOp,     // (op imm* folded*): op is emitted after its operands
  FoldedBlock,  // (block ...) / (loop ...)
  FoldedIf,     // (if bt folded* (then ...) (else ...)?)
  FoldedArm,    // (then ...) / (else ...), and a legacy try's (do ...) / (catch ...)
  FoldedTry,    // legacy (try bt (do ...) (catch x ...)* (catch_all ...)?) or (... (delegate l))
};

struct Frame {
  FrameKind kind = FrameKind::Root;
  Opcode op = Opcode::Nop;                    // Plain: block, loop or if
  bool in_else = false;                       // Plain if: after `else`
  bool seen_then = false, seen_else = false;  // FoldedIf
  size_t close = 0;                           // folded frames: index of the closing ')'
  size_t pending = 0;      // FoldedOp: the op, FoldedIf: `if bt`, from here in the pending stack
  std::string_view label;  // FoldedIf: pushed once `(then` starts
  size_t else_end = 0;     // output size just after an `else` opcode (to drop an empty else)
  bool seen_do = false, seen_catch_all = false, delegated = false;  // legacy try
};

Frame make_frame(FrameKind kind, size_t close, Opcode op = Opcode::Nop) {
  Frame f;
  f.kind = kind;
  f.close = close;
  f.op = op;
  return f;
}

// An `else` with nothing after it is left out, as wat2wasm does (the binary means the same).
void drop_empty_else(std::vector<uint8_t>& out, size_t else_end) {
  if (else_end != 0 && out.size() == else_end) out.pop_back();
}

bool is_block_op(std::string_view kw) {
  return kw == "block" || kw == "loop" || kw == "if" || kw == "try_table" || kw == "try";
}
Opcode block_opcode(std::string_view kw) {
  if (kw == "try_table") return Opcode::TryTable;
  if (kw == "try") return Opcode::Try;
  return kw == "block" ? Opcode::Block : kw == "loop" ? Opcode::Loop : Opcode::If;
}

}  // namespace

bool WatParser::parse_const_expr(size_t end, ConstExpr& out) {
  labels_.reset();
  locals_.clear();
  out.range.begin = m_.bytes.size();
  if (!parse_instrs(end, m_.bytes)) return false;
  m_.bytes.push_back(0x0b);
  out.range.end = m_.bytes.size();
  return true;
}

// After `block`/`loop`/`if`: an optional label, then the block type. Emits opcode and type.
bool WatParser::parse_block_header(Opcode op, std::vector<uint8_t>& out, std::string_view& label) {
  label = {};
  if (cur().kind == TokenKind::Id) label = t_.id_name(t_[pos_++]);
  const OpInfo& info = op_info(op);
  if (!features_.has(info.feature)) {
    return fail("unknown operator (feature " + std::string(feature_flag(info.feature)) +
                " is not enabled)");
  }
  out.push_back(static_cast<uint8_t>(info.code));
  if (!parse_block_type(out)) return false;
  // try_table's clauses name labels outside it: parsed before its own label is pushed.
  return op != Opcode::TryTable || parse_catch_clauses(out);
}

bool WatParser::parse_block_type(std::vector<uint8_t>& out) {
  const Token& at = cur();
  TypeUse use;
  if (!parse_typeuse(use, /*allow_names=*/false)) return false;
  ByteWriter w(out);
  if (use.index) {
    uint32_t index = 0;
    if (!resolve_typeuse(use, at, index)) return false;
    // A type whose signature fits the short forms is written short (as other tools do).
    if (type_at(index) && use.sig.params.empty() && use.sig.results.size() <= 1) {
      w.val_type(use.sig.results.empty() ? ValType() : use.sig.results[0]);
    } else {
      w.s33(index);
    }
    return true;
  }
  if (use.sig.params.empty() && use.sig.results.size() <= 1) {
    w.val_type(use.sig.results.empty() ? ValType() : use.sig.results[0]);
    return true;
  }
  if (!features_.has(Feature::MultiValue)) return fail(at, "multiple block results not enabled");
  w.s33(find_or_add_type(use.sig));
  return true;
}

bool WatParser::parse_instrs(size_t end, std::vector<uint8_t>& out) {
  std::vector<Frame> frames(1);
  // Operands are emitted in order; only a folded operator (and `if bt`) waits for its ')'. Their
  // bytes wait on one stack (frames close in reverse order), so folding allocates nothing per op.
  std::vector<uint8_t>& pending = pending_bytes_;
  pending.clear();
  auto emit = [&](size_t from) {
    out.insert(out.end(), pending.begin() + static_cast<std::ptrdiff_t>(from), pending.end());
    pending.resize(from);
  };
  // Bounds on what nesting can cost (frames, labels): more nested blocks than the validator
  // accepts, or more nested instructions than a function body has bytes (each level encodes at
  // least one), can never make a valid module.
  constexpr uint64_t kMaxLabels = limit_value(Limit::ControlNesting) + 1;  // + the body's own
  constexpr uint64_t kMaxFrames = limit_value(Limit::FunctionBodyBytes) + 1;
  for (;;) {
    if (labels_.size() > kMaxLabels) return fail(limit_error(Limit::ControlNesting));
    if (frames.size() > kMaxFrames) {
      return fail("instructions nested too deeply: " + limit_error(Limit::FunctionBodyBytes));
    }
    Frame& top = frames.back();
    if (top.kind == FrameKind::Root && pos_ >= end) break;
    const Token& t = cur();
    if (t.kind == TokenKind::Eof) return fail("unexpected end of input");

    if (t.kind == TokenKind::RParen) {
      if (top.kind == FrameKind::Root) return fail("unexpected token");
      if (top.kind == FrameKind::Plain) return fail("unexpected ')', expected 'end'");
      switch (top.kind) {
        case FrameKind::FoldedOp:
          emit(top.pending);
          break;
        case FrameKind::FoldedBlock:
          out.push_back(0x0b);
          labels_.pop();
          break;
        case FrameKind::FoldedIf:
          if (!top.seen_then)
            return fail("unexpected token, expected '(then'");  // label not pushed
          out.push_back(0x0b);
          labels_.pop();
          break;
        case FrameKind::FoldedArm:
          drop_empty_else(out, top.else_end);
          break;
        case FrameKind::FoldedTry:
          if (!top.seen_do) return fail("unexpected token, expected '(do'");
          if (!top.delegated) {
            out.push_back(0x0b);
            labels_.pop();
          }
          break;
        default:
          break;
      }
      ++pos_;
      frames.pop_back();
      continue;
    }

    if (t.kind == TokenKind::LParen) {
      const size_t close = t.match;
      if (top.kind == FrameKind::FoldedIf) {
        if (is_lparen_kw("then") && !top.seen_then) {
          emit(top.pending);
          labels_.push(top.label);  // the condition is outside the if's label scope
          top.seen_then = true;
          pos_ += 2;
          frames.push_back(make_frame(FrameKind::FoldedArm, close));
          continue;
        }
        if (is_lparen_kw("else") && top.seen_then && !top.seen_else) {
          out.push_back(0x05);
          top.seen_else = true;
          pos_ += 2;
          frames.push_back(make_frame(FrameKind::FoldedArm, close));
          frames.back().else_end = out.size();
          continue;
        }
        if (top.seen_then) return fail("unexpected token, expected '(else' or ')'");
      }
      if (top.kind == FrameKind::FoldedTry) {
        // (do ...) once, then (catch x ...)* (catch_all ...)? or a single (delegate l).
        if (top.delegated) return fail("unexpected token");
        if (!top.seen_do) {
          if (!is_lparen_kw("do")) return fail("unexpected token, expected '(do'");
          top.seen_do = true;
          pos_ += 2;
          frames.push_back(make_frame(FrameKind::FoldedArm, close));
          continue;
        }
        if (is_lparen_kw("catch") && !top.seen_catch_all) {
          pos_ += 2;
          uint32_t tag = 0;
          if (!parse_index(Space::Tag, tag)) return false;
          out.push_back(0x07);
          append_uleb(out, tag);
          top.in_else = true;  // a handler was seen: no delegate
          frames.push_back(make_frame(FrameKind::FoldedArm, close));
          continue;
        }
        if (is_lparen_kw("catch_all") && !top.seen_catch_all) {
          pos_ += 2;
          out.push_back(0x19);
          top.seen_catch_all = top.in_else = true;
          frames.push_back(make_frame(FrameKind::FoldedArm, close));
          continue;
        }
        if (is_lparen_kw("delegate") && !top.in_else) {
          pos_ += 2;
          labels_.pop();  // delegate's label counts from outside the try
          uint32_t depth = 0;
          if (!parse_label_index(depth) || !expect_rparen()) return false;
          out.push_back(0x18);
          append_uleb(out, depth);
          top.delegated = true;
          continue;
        }
        return fail("unexpected token");
      }
      const Token& kw = tok(pos_ + 1);
      if (kw.kind != TokenKind::Keyword)
        return fail(kw, "unexpected token, expected an instruction");
      pos_ += 2;
      if (is_block_op(kw.text)) {
        const Opcode op = block_opcode(kw.text);
        Frame f;
        f.close = close;
        if (op == Opcode::Try) {
          f.kind = FrameKind::FoldedTry;
          std::string_view label;
          if (!parse_block_header(op, out, label)) return false;
          labels_.push(label);
        } else if (op == Opcode::If) {
          f.kind = FrameKind::FoldedIf;
          f.pending = pending.size();
          if (!parse_block_header(op, pending, f.label)) return false;
        } else {
          f.kind = FrameKind::FoldedBlock;
          std::string_view label;
          if (!parse_block_header(op, out, label)) return false;
          labels_.push(label);
        }
        frames.push_back(std::move(f));
        continue;
      }
      Frame f;
      f.kind = FrameKind::FoldedOp;
      f.close = close;
      f.pending = pending.size();
      if (!parse_plain_op(kw, pending)) return false;
      frames.push_back(std::move(f));
      continue;
    }

    // A plain instruction.
    if (top.kind == FrameKind::FoldedOp || top.kind == FrameKind::FoldedIf ||
        top.kind == FrameKind::FoldedTry) {
      return fail("unexpected token, operands of a folded instruction must be folded");
    }
    if (t.kind != TokenKind::Keyword) return fail("unexpected token, expected an instruction");
    const std::string_view kw = t.text;
    // Legacy try: `catch x` / `catch_all` start a handler like `else`; `delegate l` ends the try.
    if (top.kind == FrameKind::Plain && top.op == Opcode::Try &&
        (kw == "catch" || kw == "catch_all" || kw == "delegate")) {
      ++pos_;
      if (top.seen_catch_all || (kw == "delegate" && top.in_else)) return fail(t, "unexpected token");
      if (kw == "delegate") {
        labels_.pop();
        uint32_t depth = 0;
        if (!parse_label_index(depth)) return false;
        out.push_back(0x18);
        append_uleb(out, depth);
        frames.pop_back();
        continue;
      }
      top.in_else = true;  // in a handler: no delegate any more
      if (kw == "catch") {
        uint32_t tag = 0;
        if (!parse_index(Space::Tag, tag)) return false;
        out.push_back(0x07);
        append_uleb(out, tag);
      } else {
        out.push_back(0x19);
        top.seen_catch_all = true;
      }
      continue;
    }
    if (kw == "end" || kw == "else") {
      if (top.kind != FrameKind::Plain) return fail("unexpected '" + std::string(kw) + "'");
      if (kw == "else" && (top.op != Opcode::If || top.in_else)) return fail("unexpected 'else'");
      ++pos_;
      if (cur().kind == TokenKind::Id) {
        if (t_.id_name(cur()) != labels_.innermost_name()) return fail("mismatching label");
        ++pos_;
      }
      if (kw == "else") {
        out.push_back(0x05);
        top.in_else = true;
        top.else_end = out.size();
      } else {
        if (top.in_else && top.op == Opcode::If) drop_empty_else(out, top.else_end);
        out.push_back(0x0b);
        labels_.pop();
        frames.pop_back();
      }
      continue;
    }
    ++pos_;
    if (is_block_op(kw)) {
      const Opcode op = block_opcode(kw);
      std::string_view label;
      if (!parse_block_header(op, out, label)) return false;
      labels_.push(label);
      frames.push_back(make_frame(FrameKind::Plain, 0, op));
      continue;
    }
    if (!parse_plain_op(t, out)) return false;
  }
  return true;
}

}  // namespace loom::text
