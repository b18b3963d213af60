//! Frames. In: a call being made. Out: the record the dispatch loop runs from: which code,
//! where its locals and operands start on the shared value stack, and where to resume.

use crate::value::Value;

/// One activation of a code object. Locals are `stack[base..base + n_locals]`; the operand
/// stack starts at `base + n_locals`; returning truncates the stack to `ret`.
#[derive(Copy, Clone, Debug)]
pub struct Frame {
    /// Index in the VM's module table.
    pub module: u16,
    /// Code object index within the module.
    pub code: u32,
    /// Start of the instruction executing (or the call in progress).
    pub pc: u32,
    /// Where to continue after a call returns.
    pub next: u32,
    pub base: usize,
    /// Start of the operand stack (`base + n_locals`).
    pub sp0: usize,
    /// Stack length to restore when the frame returns (removes the callee and its arguments).
    pub ret: usize,
    /// The globals dict (also the namespace LOAD_NAME/STORE_NAME use: only module bodies
    /// use them, and a module's locals are its globals).
    pub globals: Value,
    /// What returning from this frame means.
    pub kind: FrameKind,
}

/// What the frame's return does besides handing back a value.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum FrameKind {
    /// A function or module body: the value goes to the caller.
    Plain,
    /// `__init__` run by instantiation: the value must be None, and the caller gets the
    /// instance, which sits just below the callee (at `ret - 1`).
    Init,
    /// A class body run by `__build_class__`: the namespace dict is at `base - 1`, the name and
    /// bases at `ret + 2..base - 1`; returning makes the class from them.
    ClassBody,
}
