//! The heap's object type and the context type code works in. In: nothing. Out: `Obj` (every
//! heap-allocated Python object), `Store` (heap plus interned strings) and `Ctx`, the trait
//! through which type code allocates (the VM implements it, so allocation can collect).

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use num_bigint::BigInt;

use super::bytes::Bytes;
use super::class::{Class, Instance};
use super::dict::Dict;
use super::exception::Exception;
use super::function::{BoundMethod, Function, Module};
use super::generator::Generator;
use super::iterator::Iter;
use super::range::Range;
use super::str::Interner;
use super::{PyErr, PyResult, TypeId};
use crate::heap::{Heap, Trace};
use crate::value::{Handle, Kind, Value};

/// A heap object.
#[derive(Debug)]
pub enum Obj {
    Str(String),
    Bytes(Bytes),
    BigInt(BigInt),
    List(Vec<Value>),
    Tuple(Vec<Value>),
    Dict(Dict),
    Range(Range),
    Function(Function),
    BoundMethod(BoundMethod),
    Module(Module),
    Exception(Exception),
    /// `dict.keys()` / `values()` / `items()`: the dict and which view.
    DictView(Value, TypeId),
    /// `iter(x)`, `enumerate(x)`, `zip(..)`.
    Iterator(Iter),
    /// A complex number: real and imaginary parts (`types::complex`).
    Complex(f64, f64),
    /// A code object from `compile()` (`types::code`).
    Code(super::code::Code),
    /// A generator or coroutine with its suspended frame.
    Generator(Generator),
    /// A closure cell: the variable's value, or NULL while it is unbound.
    Cell(Value),
    /// A set: a dict whose values are unused (see `types::set`).
    Set(Dict),
    /// A slice: start, stop, step (None when omitted).
    Slice(Value, Value, Value),
    /// A class defined in Python (see `types::class`).
    Class(Class),
    /// An instance of a Python class.
    Instance(Instance),
    /// `staticmethod(f)` or `classmethod(f)` (the type says which): the wrapped callable.
    MethodWrapper(TypeId, Value),
    /// `super()`: attribute lookup starts after this class in the chain of the object.
    Super(Value, Value),
    /// `micropython.RingIO`: the ring it shares with Rust producers/consumers.
    RingIO(alloc::sync::Arc<crate::ringio::Ring>),
    /// A `select.poll()` object: registered streams and their event masks.
    Poll(super::poll::Poll),
    /// A bytearray: its bytes, shareable with a RingIO (`types::bytearray`).
    ByteArray(crate::cells::Cells),
    /// A memoryview: a window on a bytes or bytearray (`types::memoryview`).
    MemoryView(super::memoryview::MemoryView),
}

impl Obj {
    /// Bytes of storage this object owns besides its header, as the budget charges it.
    pub fn payload_bytes(&self) -> usize {
        match self {
            Obj::Str(s) => s.capacity(),
            Obj::Bytes(b) => b.capacity(),
            Obj::BigInt(i) => i.bits().div_ceil(8) as usize,
            Obj::List(v) | Obj::Tuple(v) => v.capacity() * 8,
            Obj::Dict(d) => d.payload_bytes(),
            Obj::Function(f) => f.defaults.capacity() * 8,
            Obj::Exception(e) => e.traceback.capacity() * 12,
            Obj::Iterator(it) => it.payload_bytes(),
            Obj::Complex(..) | Obj::Code(_) => 16,
            Obj::Generator(g) => g.payload_bytes(),
            Obj::Range(_) | Obj::BoundMethod(_) | Obj::Module(_) | Obj::DictView(..) => 16,
            Obj::Cell(_) => 8,
            Obj::Set(d) => d.payload_bytes(),
            Obj::Slice(..) => 24,
            Obj::Class(_) | Obj::Instance(_) => 24,
            Obj::RingIO(r) => r.own_bytes(),
            Obj::Poll(p) => p.payload_bytes(),
            Obj::MethodWrapper(..) => 8,
            Obj::Super(..) => 16,
            Obj::ByteArray(c) => c.capacity(),
            Obj::MemoryView(_) => 24,
        }
    }

    /// The object's type.
    pub fn type_id(&self) -> TypeId {
        match self {
            Obj::Str(_) => TypeId::Str,
            Obj::Bytes(_) => TypeId::Bytes,
            Obj::BigInt(_) => TypeId::Int,
            Obj::List(_) => TypeId::List,
            Obj::Tuple(_) => TypeId::Tuple,
            Obj::Dict(_) => TypeId::Dict,
            Obj::Range(_) => TypeId::Range,
            Obj::Function(_) => TypeId::Function,
            Obj::BoundMethod(_) => TypeId::BoundMethod,
            Obj::Module(_) => TypeId::Module,
            Obj::Exception(e) => e.ty,
            Obj::DictView(_, t) => *t,
            Obj::Iterator(it) => it.type_id(),
            Obj::Complex(..) => TypeId::Complex,
            Obj::Code(_) => TypeId::Code,
            Obj::Generator(g) => g.type_id(),
            Obj::Cell(_) => TypeId::Cell,
            Obj::Set(_) => TypeId::Set,
            Obj::Slice(..) => TypeId::Slice,
            Obj::Class(_) => TypeId::Type,
            Obj::Instance(_) => TypeId::Object,
            Obj::RingIO(_) => TypeId::RingIO,
            Obj::Poll(_) => TypeId::Poll,
            Obj::MethodWrapper(t, _) => *t,
            Obj::Super(..) => TypeId::Super,
            Obj::ByteArray(_) => TypeId::ByteArray,
            Obj::MemoryView(_) => TypeId::MemoryView,
        }
    }
}

impl Trace for Obj {
    fn trace(&self, visit: &mut dyn FnMut(Value)) {
        match self {
            Obj::Str(_) | Obj::Bytes(_) | Obj::BigInt(_) | Obj::Range(_) | Obj::RingIO(_) => {}
            Obj::ByteArray(_) => {}
            Obj::MemoryView(m) => visit(m.base),
            Obj::Complex(..) | Obj::Code(_) => {}
            Obj::List(v) | Obj::Tuple(v) => v.iter().for_each(|x| visit(*x)),
            Obj::Dict(d) => d.trace(visit),
            Obj::Function(f) => {
                f.defaults.iter().for_each(|x| visit(*x));
                visit(f.globals);
                visit(f.kwdefaults);
                visit(f.closure);
            }
            Obj::BoundMethod(b) => {
                visit(b.func);
                visit(b.slf);
            }
            Obj::Module(m) => {
                visit(m.globals);
                visit(m.name);
            }
            Obj::Exception(e) => {
                visit(e.args);
                visit(e.cause);
                visit(e.context);
                visit(e.class);
                visit(e.dict);
            }
            Obj::DictView(d, _) => visit(*d),
            Obj::Poll(p) => p.entries.iter().for_each(|e| visit(e.obj)),
            Obj::Iterator(it) => it.trace(visit),
            Obj::Generator(g) => g.trace(visit),
            Obj::Cell(v) => visit(*v),
            Obj::Set(d) => d.trace(visit),
            Obj::Slice(a, b, c) => {
                visit(*a);
                visit(*b);
                visit(*c);
            }
            Obj::Class(c) => c.trace(visit),
            Obj::Instance(i) => {
                visit(i.class);
                visit(i.dict);
            }
            Obj::MethodWrapper(_, f) => visit(*f),
            Obj::Super(c, o) => {
                visit(*c);
                visit(*o);
            }
        }
    }
}

/// The heap and the interned strings: everything type code reads.
pub struct Store {
    pub heap: Heap<Obj>,
    pub strs: Interner,
    /// The shared empty tuple.
    pub empty_tuple: Value,
}

impl Store {
    /// The heap object behind `v`, if it is one.
    #[inline]
    pub fn obj(&self, v: Value) -> Option<&Obj> {
        self.heap.get(v.as_heap()?)
    }

    /// The heap object behind `v`, mutably.
    #[inline]
    pub fn obj_mut(&mut self, v: Value) -> Option<&mut Obj> {
        self.heap.get_mut(v.as_heap()?)
    }

    /// The text of a str value (interned or heap).
    pub fn str_of(&self, v: Value) -> Option<&str> {
        match v.kind() {
            Kind::Str(id) => Some(self.strs.get(id)),
            Kind::Heap(_) => match self.obj(v)? {
                Obj::Str(s) => Some(s),
                _ => None,
            },
            _ => None,
        }
    }

    /// The items of a tuple or list value.
    pub fn seq_of(&self, v: Value) -> Option<&[Value]> {
        match self.obj(v)? {
            Obj::Tuple(items) | Obj::List(items) => Some(items),
            _ => None,
        }
    }

    /// The built-in type of any value.
    pub fn type_of(&self, v: Value) -> TypeId {
        match v.kind() {
            Kind::Float(_) => TypeId::Float,
            Kind::Int(_) => TypeId::Int,
            Kind::None | Kind::Null => TypeId::NoneType,
            Kind::Bool(_) => TypeId::Bool,
            Kind::Ellipsis => TypeId::Ellipsis,
            Kind::Str(_) => TypeId::Str,
            Kind::Native(_) => TypeId::BuiltinFunction,
            Kind::Type(_) => TypeId::Type,
            Kind::Heap(h) => self.heap.get(h).map_or(TypeId::NoneType, Obj::type_id),
        }
    }

    /// The Python name of `v`'s type, for messages.
    pub fn type_name(&self, v: Value) -> &'static str {
        self.type_of(v).name()
    }
}

/// What type code needs from the VM: reading the store, and allocating (which may collect).
pub trait Ctx {
    /// The store, to read.
    fn store(&self) -> &Store;
    /// The store, to change objects in place (never to allocate: use `alloc`/`grow`).
    fn store_mut(&mut self) -> &mut Store;
    /// Allocates `obj`, collecting first when needed. The new handle is a root until the
    /// next instruction boundary.
    fn alloc(&mut self, obj: Obj) -> PyResult<Value>;
    /// Charges object `h` for a payload of `payload` bytes before it grows.
    fn grow(&mut self, h: Handle, payload: usize) -> PyResult<()>;
    /// Checks that an object with `payload` bytes could be allocated now (collecting if
    /// needed), so large results fail as MemoryError before their storage is built.
    fn room(&mut self, payload: usize) -> PyResult<()>;
}

/// A method of a built-in type: `args[0]` is `self`.
pub type Method = fn(&mut dyn Ctx, &[Value]) -> PyResult<Value>;

/// Checks a method got between `min` and `max` arguments besides `self`; `name` is
/// qualified (`list.append`). The messages follow CPython's two styles.
pub fn arity(name: &str, args: &[Value], min: usize, max: usize) -> PyResult<()> {
    let n = args.len().saturating_sub(1);
    if (min..=max).contains(&n) {
        return Ok(());
    }
    let short = name.rsplit('.').next().unwrap_or(name);
    let s = |k: usize| if k == 1 { "" } else { "s" };
    let msg = match (min, max) {
        (0, 0) => format!("{name}() takes no arguments ({n} given)"),
        (1, 1) => format!("{name}() takes exactly one argument ({n} given)"),
        _ if min == max => format!("{short} expected {min} arguments, got {n}"),
        _ if n < min => format!(
            "{short} expected at least {min} argument{}, got {n}",
            s(min)
        ),
        _ => format!("{short} expected at most {max} argument{}, got {n}", s(max)),
    };
    Err(PyErr::type_error(msg))
}

/// Allocates a heap str.
pub fn new_str(cx: &mut dyn Ctx, s: String) -> PyResult<Value> {
    cx.alloc(Obj::Str(s))
}

/// Allocates a tuple.
pub fn new_tuple(cx: &mut dyn Ctx, items: Vec<Value>) -> PyResult<Value> {
    if items.is_empty() {
        return Ok(cx.store().empty_tuple);
    }
    cx.alloc(Obj::Tuple(items))
}

/// Allocates a list.
pub fn new_list(cx: &mut dyn Ctx, items: Vec<Value>) -> PyResult<Value> {
    cx.alloc(Obj::List(items))
}

/// A Rust vector with room for `n`, failing as a MemoryError instead of aborting.
pub fn vec_with<T>(n: usize) -> PyResult<Vec<T>> {
    let mut v = Vec::new();
    v.try_reserve_exact(n)
        .map_err(|_| PyErr::Memory(crate::heap::HeapError::Exhausted(n)))?;
    Ok(v)
}

/// A Rust string with room for `n` bytes, failing as a MemoryError instead of aborting.
pub fn string_with(n: usize) -> PyResult<String> {
    let mut s = String::new();
    s.try_reserve_exact(n)
        .map_err(|_| PyErr::Memory(crate::heap::HeapError::Exhausted(n)))?;
    Ok(s)
}
