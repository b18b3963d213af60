//! Check points (DESIGN.md decision 10). In: what the scheduler found pending. Out: a raised
//! KeyboardInterrupt (the preallocated one: raising it allocates nothing), or one scheduled
//! callback run to completion, its exception printed as a traceback and discarded.
//! Also the Rust-side API of `Vm` for firmware: scheduler handles and registered callbacks.

use alloc::sync::Arc;

use super::{Machine, Vm};
use crate::port::Port;
use crate::ringio::{Consumer, Producer};
use crate::scheduler::{CallbackId, Due, Scheduler, SchedulerHandle};
use crate::types::exception::Exception;
use crate::types::obj::Store;
use crate::types::{Obj, PyErr, PyResult, TypeId};
use crate::value::Value;

/// Input bytes read from the port per poll.
const INPUT_CHUNK: usize = 32;

/// The scheduler of a new VM, with its preallocated KeyboardInterrupt.
pub(super) fn new_scheduler(store: &mut Store, depth: usize) -> Scheduler {
    let mut sched = Scheduler::new(depth);
    let mut e = Exception::new(TypeId::KeyboardInterrupt, store.empty_tuple);
    // Room for the traceback entries of a typical raise, so raising allocates nothing.
    let _ = e.traceback.try_reserve(8);
    sched.keyboard_interrupt = super::alloc_raw(store, Obj::Exception(e));
    sched
}

impl Machine {
    /// Runs one check point: KeyboardInterrupt is raised first; otherwise at most one
    /// scheduled callback runs (never inside another one).
    pub fn check_point(&mut self, port: &mut dyn Port) -> PyResult<()> {
        if !self.sched.is_pending() {
            return Ok(());
        }
        let (func, arg) = match self.sched.take_due() {
            Due::Nothing => return Ok(()),
            Due::Interrupt => return Err(self.keyboard_interrupt()),
            Due::Call(f, a) => (f, a),
            Due::Global(name, a) => {
                let globals = self.modules.first().map_or(Value::NONE, |m| m.globals);
                let key = Value::str(name);
                match self.load_global(globals, key) {
                    Ok(f) => (f, a),
                    Err(e) => {
                        self.print_discarded(port, e);
                        return Ok(());
                    }
                }
            }
        };
        self.sched.set_locked(true);
        let result = self.call_value(port, func, &[arg]);
        self.sched.set_locked(false);
        if let Err(e) = result {
            self.print_discarded(port, e);
        }
        Ok(())
    }

    /// Reads up to one chunk of the input the port has and passes it through the interrupt
    /// compare (one chunk, so a long paste cannot stall a check point).
    pub fn poll_input(&mut self, port: &mut dyn Port) {
        let mut buf = [0u8; INPUT_CHUNK];
        let n = port.read_input(&mut buf).min(buf.len());
        if let Some(bytes) = buf.get(..n) {
            self.sched.receive(bytes);
        }
    }

    /// Sleeps `us` microseconds through the port; a check point before and after (even for
    /// 0), and between slices of a long sleep so KeyboardInterrupt is not delayed.
    pub fn sleep_us(&mut self, port: &mut dyn Port, us: u64) -> PyResult<()> {
        const SLICE_US: u64 = 10_000;
        let mut left = us;
        loop {
            self.poll_input(port);
            self.check_point(port)?;
            if left == 0 {
                return Ok(());
            }
            let step = left.min(SLICE_US);
            port.sleep_us(step);
            left -= step;
        }
    }

    /// The preallocated KeyboardInterrupt with its traceback cleared.
    fn keyboard_interrupt(&mut self) -> PyErr {
        let exc = self.sched.keyboard_interrupt;
        if let Some(Obj::Exception(x)) = self.store.obj_mut(exc) {
            x.traceback.clear();
            x.context = Value::NONE;
            x.cause = Value::NONE;
        }
        PyErr::Obj(exc)
    }

    fn print_discarded(&mut self, port: &mut dyn Port, e: PyErr) {
        let exc = self.materialise(e);
        let text = self.format_traceback(exc);
        port.write_stderr(text.as_bytes());
    }
}

impl<P: Port> Vm<P> {
    /// A handle that schedules registered callbacks and raises KeyboardInterrupt from an
    /// interrupt handler or another thread (lock-free, allocation-free).
    pub fn scheduler_handle(&self) -> SchedulerHandle {
        self.machine.sched.handle()
    }

    /// Registers `func(arg)` for `SchedulerHandle::schedule`; both stay alive (GC roots)
    /// as long as the VM. None when the registry cannot grow.
    pub fn register_callback(&mut self, func: Value, arg: Value) -> Option<CallbackId> {
        self.machine.sched.register(func, arg)
    }

    /// Registers the `__main__` global `name`, looked up each time it runs and called with
    /// `arg` (a NameError then is printed and discarded like any callback exception). This
    /// lets firmware register callbacks before the script that defines them runs.
    pub fn register_global_callback(&mut self, name: &str, arg: Value) -> Option<CallbackId> {
        let id = self.machine.store.strs.intern(name);
        self.machine.sched.register_global(id, arg)
    }

    /// The `__main__` global `name` after (or during) `run_main`, e.g. a RingIO to hand
    /// to an interrupt handler.
    pub fn main_global(&mut self, name: &str) -> Option<Value> {
        let key = Value::str(self.machine.store.strs.intern(name));
        let globals = self.machine.modules.first()?.globals;
        crate::types::dict_methods::lookup(&self.machine.store, globals, key).ok()?
    }

    /// The producer and consumer ends of a Python `RingIO`, for firmware code (an ISR writes
    /// while Python reads, or the reverse); None when `v` is not a RingIO.
    pub fn ringio_ends(&self, v: Value) -> Option<(Producer, Consumer)> {
        let ring = crate::types::ringio::ring_of(&self.machine, v)?;
        Some((Producer(Arc::clone(&ring)), Consumer(ring)))
    }

    /// True when the last `run_main` ended with an uncaught KeyboardInterrupt.
    pub fn interrupted(&self) -> bool {
        self.machine.sched.interrupted
    }
}
