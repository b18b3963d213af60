//! Built-in types as ids (`Value::type_id`). In: nothing. Out: `TypeId`, each type's Python
//! name and its parent, which gives the exception hierarchy and `isinstance`.

/// Declares `TypeId` and `ALL` from one list, so the two can never disagree: the discriminants
/// are the positions, and `from_u16` indexes `ALL`.
macro_rules! type_ids {
    ($($name:ident,)*) => {
        /// A built-in type. The discriminant is the payload of `Value::type_id`.
        #[repr(u16)]
        #[derive(Copy, Clone, PartialEq, Eq, Debug)]
        pub enum TypeId {
            $($name,)*
        }

        /// Every type, in discriminant order.
        pub const ALL: &[TypeId] = &[$(TypeId::$name,)*];
    };
}

type_ids! {
    Object,
    NoneType,
    Bool,
    Int,
    Float,
    Str,
    Bytes,
    List,
    Tuple,
    Dict,
    Range,
    Function,
    BuiltinFunction,
    BoundMethod,
    Module,
    Type,
    DictKeys,
    DictValues,
    DictItems,
    Ellipsis,
    BaseException,
    SystemExit,
    KeyboardInterrupt,
    GeneratorExit,
    Exception,
    StopIteration,
    ArithmeticError,
    OverflowError,
    ZeroDivisionError,
    AssertionError,
    AttributeError,
    EOFError,
    ImportError,
    LookupError,
    IndexError,
    KeyError,
    MemoryError,
    NameError,
    UnboundLocalError,
    OSError,
    RuntimeError,
    NotImplementedError,
    SyntaxError,
    IndentationError,
    TypeError,
    ValueError,
    UnicodeError,
    StopAsyncIteration,
    Iterator,
    Enumerate,
    Zip,
    ModuleNotFoundError,
    Complex,
    Code,
    Generator,
    Coroutine,
    Cell,
    Set,
    Slice,
    StaticMethod,
    ClassMethod,
    Super,
    RingIO,
    Poll,
    ByteArray,
    MemoryView,
}

use TypeId::*;

impl TypeId {
    /// The type for an id, if there is one.
    pub fn from_u16(id: u16) -> Option<TypeId> {
        ALL.get(usize::from(id)).copied()
    }

    /// The type as a value.
    pub fn value(self) -> crate::value::Value {
        crate::value::Value::type_id(self as u16)
    }

    /// The Python name.
    pub fn name(self) -> &'static str {
        match self {
            Object => "object",
            NoneType => "NoneType",
            Bool => "bool",
            Int => "int",
            Float => "float",
            Str => "str",
            Bytes => "bytes",
            List => "list",
            Tuple => "tuple",
            Dict => "dict",
            Range => "range",
            Function => "function",
            BuiltinFunction => "builtin_function_or_method",
            BoundMethod => "bound_method",
            Module => "module",
            Type => "type",
            DictKeys => "dict_keys",
            DictValues => "dict_values",
            DictItems => "dict_items",
            Ellipsis => "ellipsis",
            BaseException => "BaseException",
            SystemExit => "SystemExit",
            KeyboardInterrupt => "KeyboardInterrupt",
            GeneratorExit => "GeneratorExit",
            Exception => "Exception",
            StopIteration => "StopIteration",
            ArithmeticError => "ArithmeticError",
            OverflowError => "OverflowError",
            ZeroDivisionError => "ZeroDivisionError",
            AssertionError => "AssertionError",
            AttributeError => "AttributeError",
            EOFError => "EOFError",
            ImportError => "ImportError",
            LookupError => "LookupError",
            IndexError => "IndexError",
            KeyError => "KeyError",
            MemoryError => "MemoryError",
            NameError => "NameError",
            UnboundLocalError => "UnboundLocalError",
            OSError => "OSError",
            RuntimeError => "RuntimeError",
            NotImplementedError => "NotImplementedError",
            SyntaxError => "SyntaxError",
            IndentationError => "IndentationError",
            TypeError => "TypeError",
            ValueError => "ValueError",
            UnicodeError => "UnicodeError",
            Iterator => "iterator",
            Enumerate => "enumerate",
            Zip => "zip",
            ModuleNotFoundError => "ModuleNotFoundError",
            Complex => "complex",
            Code => "code",
            StopAsyncIteration => "StopAsyncIteration",
            Generator => "generator",
            Coroutine => "coroutine",
            Cell => "cell",
            Set => "set",
            Slice => "slice",
            StaticMethod => "staticmethod",
            ClassMethod => "classmethod",
            Super => "super",
            RingIO => "RingIO",
            Poll => "poll",
            ByteArray => "bytearray",
            MemoryView => "memoryview",
        }
    }

    /// The direct base class (`None` for `object`).
    pub fn parent(self) -> Option<TypeId> {
        Some(match self {
            Object => return None,
            Bool => Int,
            BaseException => Object,
            SystemExit | KeyboardInterrupt | GeneratorExit | Exception => BaseException,
            OverflowError | ZeroDivisionError => ArithmeticError,
            IndexError | KeyError => LookupError,
            UnboundLocalError => NameError,
            NotImplementedError => RuntimeError,
            IndentationError => SyntaxError,
            UnicodeError => ValueError,
            ModuleNotFoundError => ImportError,
            StopIteration | StopAsyncIteration | ArithmeticError | AssertionError
            | AttributeError | EOFError | ImportError | LookupError | MemoryError | NameError
            | OSError | RuntimeError | SyntaxError | TypeError | ValueError => Exception,
            _ => Object,
        })
    }

    /// Whether `self` is `base` or derives from it.
    pub fn is_subclass(self, base: TypeId) -> bool {
        let mut t = Some(self);
        while let Some(x) = t {
            if x == base {
                return true;
            }
            t = x.parent();
        }
        false
    }

    /// Whether this is an exception class.
    pub fn is_exception(self) -> bool {
        self.is_subclass(BaseException)
    }
}
