//! The virtual machine. In: verified images (`image::Loaded`) and a `Port`. Out: the
//! program's effects, or an uncaught exception printed as a traceback.
//!
//! Split by family: `dispatch` (the loop), `frame`, `call` (callee dispatch), `bind`
//! (argument binding), `closure` (cells, MAKE_FUNCTION), `binary`,
//! `compare`, `attr`, `collections` (build/subscript/iterate), `exceptions` (raise and
//! unwind), `traceback`, `import`, `load` (module loading), `gc` (roots and allocation),
//! `names` (name resolution), `reenter` (native code calling back into Python). Python-to-Python calls never recurse on
//! the Rust stack (DESIGN.md decision 8); native-to-Python calls nest at most `MAX_REENTRY`.

mod arith;
mod attr;
mod binary;
mod bind;
mod call;
mod class;
mod closure;
mod collections;
mod compare;
mod coroutine;
pub mod dispatch;
mod display;
mod emergency;
mod events;
mod exceptions;
mod format;
mod frame;
mod gc;
mod gen_iter;
pub mod gen_native;
pub mod generator;
mod import;
mod instance;
mod load;
mod names;
mod operators;
mod reenter;
mod traceback;
mod with;

use alloc::collections::BTreeMap;
use alloc::rc::Rc;
use alloc::vec::Vec;

pub use frame::{Frame, FrameKind};
pub use reenter::MAX_REENTRY;

use crate::heap::Heap;
use crate::image::{ImageBytes, LoadError, Loaded};
use crate::port::Port;
use crate::types::obj::Store;
use crate::types::str::Interner;
use crate::types::{Obj, TypeId};
use crate::value::{Handle, Value};

/// Resource limits of a VM.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// Heap budget in bytes (every object the program allocates is charged to it).
    pub heap_size: usize,
    /// Most Python frames alive at once; one more is `RuntimeError: maximum recursion depth`.
    pub max_frames: usize,
    /// Values on the preallocated locals-and-operands stack (outside the heap budget).
    pub stack_values: usize,
    /// Initial `micropython.opt_level()`.
    pub opt_level: u8,
    /// Callbacks `micropython.schedule` queues at once; one more is `RuntimeError`.
    pub schedule_depth: usize,
}

impl Config {
    /// A small microcontroller: 64 KiB heap.
    pub const DEVICE: Config = Config {
        heap_size: 64 * 1024,
        max_frames: 100,
        stack_values: 4096,
        opt_level: 0,
        schedule_depth: crate::scheduler::DEFAULT_DEPTH,
    };
    /// The host: 8 MiB heap, CPython's recursion limit.
    pub const HOST: Config = Config {
        heap_size: 8 * 1024 * 1024,
        max_frames: 1000,
        stack_values: 1 << 16,
        opt_level: 0,
        schedule_depth: crate::scheduler::DEFAULT_DEPTH,
    };
}

/// Why `run_main` did not complete normally.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RunError {
    /// The image was refused; nothing ran.
    Load(LoadError),
    /// An exception was not caught; its traceback went to stderr.
    Exception,
    /// `SystemExit` was raised with this exit status.
    SystemExit(i32),
}

/// A VM: the interpreter state plus its port.
pub struct Vm<P: Port> {
    port: P,
    machine: Machine,
}

impl<P: Port> Vm<P> {
    /// A VM with its stacks and preallocated exceptions ready.
    pub fn new(port: P, config: Config) -> Vm<P> {
        Vm {
            port,
            machine: Machine::new(config),
        }
    }

    /// Loads, verifies and runs an image as `__main__`. An uncaught exception prints its
    /// traceback to the port's stderr and returns Err(RunError::Exception).
    pub fn run_main(&mut self, image: ImageBytes) -> Result<(), RunError> {
        self.machine.run_main(&mut self.port, image)
    }

    /// Calls the `__main__` global `name` (after `run_main` defined it) with `args`: firmware
    /// driving Python from Rust, e.g. a main loop calling a Python handler. An uncaught
    /// exception is reported as by `run_main`; a missing name is a NameError.
    pub fn call_main_global(&mut self, name: &str, args: &[Value]) -> Result<Value, RunError> {
        self.machine.call_main_global(&mut self.port, name, args)
    }

    /// The port.
    pub fn port(&self) -> &P {
        &self.port
    }

    /// The port, mutably.
    pub fn port_mut(&mut self) -> &mut P {
        &mut self.port
    }

    /// Gives the port back.
    pub fn into_port(self) -> P {
        self.port
    }

    /// Heap statistics (for `mem_info` and tests).
    pub fn heap_stats(&self) -> crate::heap::HeapStats {
        self.machine.store.heap.stats()
    }
}

/// A loaded module: its image, materialised constants, interned names and globals.
pub struct ModuleRec {
    pub loaded: Rc<Loaded>,
    /// Constant `i` as a value.
    pub consts: Vec<Value>,
    /// Identifier `i` as an interned string id.
    pub name_ids: Vec<u32>,
    /// The globals dict.
    pub globals: Value,
}

/// Preallocated exceptions: raised when allocating one is impossible.
pub struct Prealloc {
    /// `MemoryError: memory allocation failed, heap is locked`.
    pub mem_locked: Value,
    /// `MemoryError: memory allocation failed, allocating <n> bytes`; its message is rewritten.
    pub mem_exhausted: Value,
    /// The str inside `mem_exhausted` (capacity reserved so rewriting never grows it).
    pub mem_msg: Value,
    /// `RuntimeError: maximum recursion depth exceeded`.
    pub recursion: Value,
    /// The emergency exception: when an exception cannot be allocated (heap locked or
    /// full), this one object takes its type and arguments (spec §4.5; reused each time).
    pub emergency: Value,
    /// The emergency exception's args tuple (room as `emergency::plan` gives).
    pub emergency_args: Value,
    /// The emergency exception's message (room as `emergency::plan` gives; longer is cut).
    pub emergency_msg: Value,
    /// The slice `x[a:b]` uses when a built-in sequence consumes it at once, so slicing and
    /// slice assignment allocate nothing (MicroPython's stack slice; see `build_slice`).
    pub slice: Value,
}

/// The interpreter state.
pub struct Machine {
    pub store: Store,
    /// Locals and operands of every frame, preallocated (`Config::stack_values`).
    pub stack: Vec<Value>,
    pub frames: Vec<Frame>,
    pub modules: Vec<ModuleRec>,
    /// Imports and evaluation: the host hook, frozen modules, `sys` objects (`crate::host`).
    pub host: crate::host::HostState,
    /// The exception being handled (`PUSH_EXC_INFO`), or None.
    pub handled: Value,
    /// Handles allocated since the last instruction boundary: GC roots (decision 7).
    pub nursery: Vec<Handle>,
    pub config: Config,
    /// `micropython.opt_level()`.
    pub opt_level: u8,
    /// Names of the builtins module.
    pub builtins: BTreeMap<u32, Value>,
    pub prealloc: Prealloc,
    /// KeyboardInterrupt and scheduled callbacks: what check points test and run.
    pub sched: crate::scheduler::Scheduler,
    /// Generators whose frames are on the frame stack, innermost last.
    pub running: Vec<generator::Running>,
    /// Native→Python calls in progress (`reenter::MAX_REENTRY` at most).
    pub reentry: usize,
}

/// Allocate this many bytes between collections at most, as a share of the budget.
const COLLECT_DIVISOR: usize = 2;

impl Machine {
    fn new(config: Config) -> Machine {
        let mut stack = Vec::new();
        // Outside the heap budget by design; a failed reservation just leaves a smaller stack.
        let _ = stack.try_reserve_exact(config.stack_values);
        let mut frames = Vec::new();
        let _ = frames.try_reserve_exact(config.max_frames.min(1 << 16));
        let heap: Heap<Obj> = Heap::new(config.heap_size);
        let mut store = Store {
            heap,
            strs: Interner::default(),
            empty_tuple: Value::NONE,
        };
        let empty_tuple = alloc_raw(&mut store, Obj::Tuple(Vec::new()));
        store.empty_tuple = empty_tuple;
        let prealloc = Prealloc::new(&mut store);
        let builtins = crate::modules::builtins::table(&mut store.strs);
        let sched = events::new_scheduler(&mut store, config.schedule_depth);
        store.strs.mark_static();
        Machine {
            store,
            stack,
            frames,
            modules: Vec::new(),
            host: crate::host::HostState::default(),
            handled: Value::NONE,
            nursery: Vec::new(),
            config,
            opt_level: config.opt_level,
            builtins,
            prealloc,
            sched,
            running: Vec::new(),
            reentry: 0,
        }
    }

    fn run_main(&mut self, port: &mut dyn Port, image: ImageBytes) -> Result<(), RunError> {
        let loaded = crate::image::load(image).map_err(RunError::Load)?;
        let result = self
            .load_module(loaded, "__main__")
            .and_then(|m| self.register_main(m))
            .and_then(|m| self.run_module(port, m))
            .and_then(|()| self.check_point(port));
        result.or_else(|err| self.uncaught(port, err))
    }

    /// Ends a run with an uncaught exception: the traceback to stderr, the stacks reset.
    fn uncaught(&mut self, port: &mut dyn Port, err: crate::types::PyErr) -> Result<(), RunError> {
        let exc = self.materialise(err);
        self.sched.interrupted = self.store.type_of(exc) == TypeId::KeyboardInterrupt;
        self.frames.clear();
        self.running.clear();
        self.stack.clear();
        self.handled = Value::NONE;
        self.report_uncaught(port, exc)
    }

    /// Calls the `__main__` global `name` with `args`, then runs one check point.
    fn call_main_global(
        &mut self,
        port: &mut dyn Port,
        name: &str,
        args: &[Value],
    ) -> Result<Value, RunError> {
        let key = Value::str(self.store.strs.intern(name));
        let globals = self.modules.first().map_or(Value::NONE, |m| m.globals);
        let result = self
            .load_global(globals, key)
            .and_then(|f| self.call_value(port, f, args))
            .and_then(|v| self.check_point(port).map(|()| v));
        match result {
            Ok(v) => Ok(v),
            Err(err) => self.uncaught(port, err).map(|()| Value::NONE),
        }
    }
}

/// Allocates outside any VM (at start-up), falling back to None when the budget is too small.
pub(crate) fn alloc_raw(store: &mut Store, obj: Obj) -> Value {
    let payload = obj.payload_bytes();
    store
        .heap
        .alloc(obj, payload)
        .map_or(Value::NONE, Value::heap)
}

impl Prealloc {
    fn new(store: &mut Store) -> Prealloc {
        let exc = |store: &mut Store, ty: TypeId, msg: Option<&str>| -> (Value, Value) {
            let (args, s) = match msg {
                Some(m) => {
                    let mut text = alloc::string::String::new();
                    let _ = text.try_reserve(64);
                    text.push_str(m);
                    let s = alloc_raw(store, Obj::Str(text));
                    (alloc_raw(store, Obj::Tuple(alloc::vec![s])), s)
                }
                None => (store.empty_tuple, Value::NONE),
            };
            let mut e = crate::types::exception::Exception::new(ty, args);
            let _ = e.traceback.try_reserve(8);
            (alloc_raw(store, Obj::Exception(e)), s)
        };
        let (mem_locked, _) = exc(
            store,
            TypeId::MemoryError,
            Some("memory allocation failed, heap is locked"),
        );
        let (mem_exhausted, mem_msg) = exc(
            store,
            TypeId::MemoryError,
            Some("memory allocation failed, allocating 0 bytes"),
        );
        let (recursion, _) = exc(
            store,
            TypeId::RuntimeError,
            Some("maximum recursion depth exceeded"),
        );
        let plan = emergency::plan(emergency::DEFAULT_BUF as i64);
        let mut args = Vec::new();
        let _ = args.try_reserve_exact(plan.args);
        let emergency_args = alloc_raw(store, Obj::Tuple(args));
        let mut text = alloc::string::String::new();
        let _ = text.try_reserve_exact(plan.msg);
        let emergency_msg = alloc_raw(store, Obj::Str(text));
        let mut e = crate::types::exception::Exception::new(TypeId::MemoryError, emergency_args);
        let _ = e.traceback.try_reserve_exact(plan.tb);
        let emergency = alloc_raw(store, Obj::Exception(e));
        let slice = alloc_raw(store, Obj::Slice(Value::NONE, Value::NONE, Value::NONE));
        Prealloc {
            mem_locked,
            mem_exhausted,
            mem_msg,
            recursion,
            emergency,
            emergency_args,
            emergency_msg,
            slice,
        }
    }

    fn roots(&self) -> [Value; 8] {
        [
            self.mem_locked,
            self.mem_exhausted,
            self.mem_msg,
            self.recursion,
            self.emergency,
            self.emergency_args,
            self.emergency_msg,
            self.slice,
        ]
    }
}
