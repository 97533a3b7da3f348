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
  FoldedArm,    // (then ...) / (else ...)
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
  return kw == "block" || kw == "loop" || kw == "if";
}
Opcode block_opcode(std::string_view kw) {
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
  out.push_back(static_cast<uint8_t>(op_info(op).code));
  return parse_block_type(out);
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
      const Token& kw = tok(pos_ + 1);
      if (kw.kind != TokenKind::Keyword)
        return fail(kw, "unexpected token, expected an instruction");
      pos_ += 2;
      if (is_block_op(kw.text)) {
        const Opcode op = block_opcode(kw.text);
        Frame f;
        f.close = close;
        if (op == Opcode::If) {
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
    if (top.kind == FrameKind::FoldedOp || top.kind == FrameKind::FoldedIf) {
      return fail("unexpected token, operands of a folded instruction must be folded");
    }
    if (t.kind != TokenKind::Keyword) return fail("unexpected token, expected an instruction");
    const std::string_view kw = t.text;
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
        if (top.in_else) drop_empty_else(out, top.else_end);
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
