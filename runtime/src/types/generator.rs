//! Generator and coroutine objects. In: the bound frame of a CODE_GENERATOR / CODE_COROUTINE
//! function call. Out: an object that owns that frame while it is suspended: its locals and
//! operand stack (`saved`), where to resume, and its own exception-being-handled. The VM
//! (`vm::generator`) moves the frame onto the frame stack to resume it and back on yield.

use alloc::vec::Vec;

use super::TypeId;
use crate::value::Value;

/// Where a generator is in its life.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum GenState {
    /// Made by the call; no instruction has run yet.
    Created,
    /// Stopped at a YIELD_VALUE or YIELD_FROM.
    Suspended,
    /// Its frame is on the frame stack.
    Running,
    /// Returned, raised or was closed; it never runs again.
    Done,
}

/// A generator (or coroutine) and its suspended frame.
#[derive(Debug)]
pub struct Generator {
    /// Index of the module in the VM's module table.
    pub module: u16,
    /// Index of the code object within that module's image.
    pub code: u32,
    /// The module's globals dict.
    pub globals: Value,
    /// The function's name (a str), for messages.
    pub name: Value,
    /// Made by an `async def` function (CODE_COROUTINE).
    pub coroutine: bool,
    /// Where it is in its life.
    pub state: GenState,
    /// Offset of the instruction it stopped at (exception-table lookups for `throw`).
    pub pc: u32,
    /// Offset to continue at when resumed.
    pub next: u32,
    /// How many of `saved` are locals (the rest is the operand stack).
    pub n_locals: u32,
    /// Locals then operands of the suspended frame; empty while running or done.
    pub saved: Vec<Value>,
    /// The exception its own code is handling while suspended (None when none).
    pub handled: Value,
}

impl Generator {
    /// The Python type.
    pub fn type_id(&self) -> TypeId {
        if self.coroutine {
            TypeId::Coroutine
        } else {
            TypeId::Generator
        }
    }

    /// Storage beyond the header, as the budget charges it.
    pub fn payload_bytes(&self) -> usize {
        self.saved.capacity() * 8
    }

    /// Reports held values to the collector: a suspended frame's locals and operands are
    /// as live as those of a running one.
    pub fn trace(&self, visit: &mut dyn FnMut(Value)) {
        visit(self.globals);
        visit(self.name);
        visit(self.handled);
        self.saved.iter().for_each(|v| visit(*v));
    }

    /// "generator" or "coroutine", for messages.
    pub fn kind_name(&self) -> &'static str {
        if self.coroutine {
            "coroutine"
        } else {
            "generator"
        }
    }
}
