//! Any `T: Serialize` of the core as Python objects, the shape of its JSON document:
//! structs and maps as `dict`, sequences as `list`, strings, integers, booleans and `None`
//! as themselves, unit enum variants as their name. Money and the decimals the core marks
//! (a board's weights; the analysis' rates, reductions, means and probabilities) become a
//! `decimal.Decimal` and a date a `datetime.date`: the core serialises them as newtype
//! structs named [`cit_core::MONEY_NEWTYPE`], [`cit_core::DECIMAL_NEWTYPE`] and
//! [`cit_core::DATE_NEWTYPE`] around their text, so they are recognised by type, never
//! guessed from the key they sit under. Other decimals (not marked) stay the strings their
//! JSON writes.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::sync::{Mutex, PoisonError};

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyDict, PyList, PyString};
use pyo3::{IntoPyObjectExt, PyErr};
use rustc_hash::FxHashMap;
use serde::ser::{self, Serialize};

use crate::convert::decimal_class;

static FROM_ISO: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// The interned names of [`Ser::key`], by the address and length of their `&'static str`
/// (the names of the core's fields and variants: a set the binary bounds).
type Keys = HashMap<NameAt, Py<PyString>>;

/// Where a `&'static str` name is: its address and length.
type NameAt = (usize, usize);
static KEYS: PyOnceLock<Mutex<Keys>> = PyOnceLock::new();

/// `datetime.date.fromisoformat`, looked up once.
fn date_from_iso(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    FROM_ISO
        .get_or_try_init(py, || {
            let date = py.import("datetime")?.getattr("date")?;
            Ok::<_, PyErr>(date.getattr("fromisoformat")?.unbind())
        })
        .map(|f| f.bind(py))
}

/// `value` as Python objects.
pub(crate) fn to_py<'py, T: Serialize + ?Sized>(
    py: Python<'py>,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    let memo = Memo::default();
    value.serialize(Ser { py, memo: &memo }).map_err(|e| e.0)
}

/// A Python exception carried through serde.
pub(crate) struct Error(PyErr);

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<M: fmt::Display>(msg: M) -> Error {
        Error(PyValueError::new_err(msg.to_string()))
    }
}

impl From<PyErr> for Error {
    fn from(e: PyErr) -> Error {
        Error(e)
    }
}

type Out<'py> = Result<Bound<'py, PyAny>, Error>;

#[derive(Clone, Copy)]
struct Ser<'py, 'm> {
    py: Python<'py>,
    memo: &'m Memo,
}

/// What one output made once and reuses: its keys, and its `Decimal`s and `date`s by their
/// text (both immutable, so the dicts of one output may share them: a ledger's zeros, the
/// day of every balance) instead of parsing the same text again.
#[derive(Default)]
struct Memo {
    /// The names met in this output, by the address of the name ([`Ser::key`]): a few
    /// dozen at most, compared without a lock or a hash.
    keys: RefCell<Vec<(NameAt, Py<PyString>)>>,
    decimals: RefCell<FxHashMap<String, Py<PyAny>>>,
    dates: RefCell<FxHashMap<String, Py<PyAny>>>,
}

impl<'py, 'm> Ser<'py, 'm> {
    fn obj<T: IntoPyObject<'py>>(self, v: T) -> Out<'py> {
        Ok(v.into_bound_py_any(self.py)?)
    }

    /// A struct's field name (or a unit variant): interned, as the dicts of one output
    /// share their keys, and kept by the address of the name, so that a name met before
    /// costs a lookup, not a new string to intern (the lines of thousands of quotes).
    fn key(self, name: &'static str) -> Bound<'py, PyString> {
        let at = (name.as_ptr() as usize, name.len());
        if let Some((_, k)) = self.memo.keys.borrow().iter().find(|(a, _)| *a == at) {
            return k.bind(self.py).clone();
        }
        let k = self.interned(name);
        self.memo.keys.borrow_mut().push((at, k.clone().unbind()));
        k
    }

    /// A name interned once for the process.
    fn interned(self, name: &'static str) -> Bound<'py, PyString> {
        let keys = KEYS.get_or_init(self.py, Mutex::default);
        let mut keys = keys.lock().unwrap_or_else(PoisonError::into_inner);
        keys.entry((name.as_ptr() as usize, name.len()))
            .or_insert_with(|| PyString::intern(self.py, name).unbind())
            .bind(self.py)
            .clone()
    }

    /// A marked value: `make` called with its text, or the object made from the same text
    /// earlier in this output.
    fn marked<T: Serialize + ?Sized>(
        self,
        made: &RefCell<FxHashMap<String, Py<PyAny>>>,
        value: &T,
        make: &Bound<'py, PyAny>,
    ) -> Out<'py> {
        let text = value
            .serialize(self)?
            .cast_into::<PyString>()
            .map_err(PyErr::from)?;
        let key = text.to_str()?;
        if let Some(v) = made.borrow().get(key) {
            return Ok(v.bind(self.py).clone());
        }
        let v = make.call1((&text,))?;
        made.borrow_mut().insert(key.to_owned(), v.clone().unbind());
        Ok(v)
    }

    /// `{variant: value}`, serde's externally tagged form.
    fn tagged(self, variant: &'static str, value: Bound<'py, PyAny>) -> Out<'py> {
        let d = PyDict::new(self.py);
        d.set_item(self.key(variant), value)?;
        Ok(d.into_any())
    }
}

impl<'py, 'm> ser::Serializer for Ser<'py, 'm> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    type SerializeSeq = Seq<'py, 'm>;
    type SerializeTuple = Seq<'py, 'm>;
    type SerializeTupleStruct = Seq<'py, 'm>;
    type SerializeTupleVariant = Seq<'py, 'm>;
    type SerializeMap = Map<'py, 'm>;
    type SerializeStruct = Map<'py, 'm>;
    type SerializeStructVariant = Map<'py, 'm>;

    fn serialize_bool(self, v: bool) -> Out<'py> {
        self.obj(v)
    }
    fn serialize_i8(self, v: i8) -> Out<'py> {
        self.obj(v)
    }
    fn serialize_i16(self, v: i16) -> Out<'py> {
        self.obj(v)
    }
    fn serialize_i32(self, v: i32) -> Out<'py> {
        self.obj(v)
    }
    fn serialize_i64(self, v: i64) -> Out<'py> {
        self.obj(v)
    }
    fn serialize_i128(self, v: i128) -> Out<'py> {
        self.obj(v)
    }
    fn serialize_u8(self, v: u8) -> Out<'py> {
        self.obj(v)
    }
    fn serialize_u16(self, v: u16) -> Out<'py> {
        self.obj(v)
    }
    fn serialize_u32(self, v: u32) -> Out<'py> {
        self.obj(v)
    }
    fn serialize_u64(self, v: u64) -> Out<'py> {
        self.obj(v)
    }
    fn serialize_u128(self, v: u128) -> Out<'py> {
        self.obj(v)
    }
    // No amount of the core is a float (money is `cit::Money`); a probability or a
    // statistic that is one stays one, as its JSON writes it.
    fn serialize_f32(self, v: f32) -> Out<'py> {
        self.obj(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Out<'py> {
        self.obj(v)
    }
    fn serialize_char(self, v: char) -> Out<'py> {
        self.obj(v)
    }
    fn serialize_str(self, v: &str) -> Out<'py> {
        Ok(PyString::new(self.py, v).into_any())
    }
    fn serialize_bytes(self, v: &[u8]) -> Out<'py> {
        Ok(PyBytes::new(self.py, v).into_any())
    }
    fn serialize_none(self) -> Out<'py> {
        Ok(self.py.None().into_bound(self.py))
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Out<'py> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Out<'py> {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Out<'py> {
        self.serialize_none()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Out<'py> {
        Ok(self.key(variant).into_any())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Out<'py> {
        // Money, decimals and dates are marked by the core; their inner value is their text.
        if name == cit_core::MONEY_NEWTYPE || name == cit_core::DECIMAL_NEWTYPE {
            return self.marked(&self.memo.decimals, value, decimal_class(self.py)?);
        }
        if name == cit_core::DATE_NEWTYPE {
            return self.marked(&self.memo.dates, value, date_from_iso(self.py)?);
        }
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Out<'py> {
        let inner = value.serialize(self)?;
        self.tagged(variant, inner)
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Seq<'py, 'm>, Error> {
        Ok(Seq {
            ser: self,
            items: Vec::with_capacity(len.unwrap_or(0)),
            variant: None,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq<'py, 'm>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Seq<'py, 'm>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Seq<'py, 'm>, Error> {
        let mut seq = self.serialize_seq(Some(len))?;
        seq.variant = Some(variant);
        Ok(seq)
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Map<'py, 'm>, Error> {
        Ok(Map {
            ser: self,
            dict: PyDict::new(self.py),
            key: None,
            variant: None,
        })
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Map<'py, 'm>, Error> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Map<'py, 'm>, Error> {
        let mut map = self.serialize_map(Some(len))?;
        map.variant = Some(variant);
        Ok(map)
    }
}

/// A sequence (or tuple) being built; a tuple variant's name, if it is one.
pub(crate) struct Seq<'py, 'm> {
    ser: Ser<'py, 'm>,
    items: Vec<Bound<'py, PyAny>>,
    variant: Option<&'static str>,
}

impl<'py, 'm> Seq<'py, 'm> {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.items.push(value.serialize(self.ser)?);
        Ok(())
    }

    fn finish(self) -> Out<'py> {
        let list = PyList::new(self.ser.py, self.items)?.into_any();
        match self.variant {
            Some(variant) => self.ser.tagged(variant, list),
            None => Ok(list),
        }
    }
}

/// The sequence traits serde asks for, each a list: an element (or field) is pushed,
/// the end gives the list.
macro_rules! seq_impls {
    ($($trait:ident :: $push:ident),*) => {$(
        impl<'py, 'm> ser::$trait for Seq<'py, 'm> {
            type Ok = Bound<'py, PyAny>;
            type Error = Error;
            fn $push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
                self.push(value)
            }
            fn end(self) -> Out<'py> {
                self.finish()
            }
        }
    )*};
}

seq_impls!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

/// A map (or struct) being built; a struct variant's name, if it is one.
pub(crate) struct Map<'py, 'm> {
    ser: Ser<'py, 'm>,
    dict: Bound<'py, PyDict>,
    key: Option<Bound<'py, PyAny>>,
    variant: Option<&'static str>,
}

impl<'py, 'm> Map<'py, 'm> {
    fn field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Error> {
        let value = value.serialize(self.ser)?;
        self.dict.set_item(self.ser.key(key), value)?;
        Ok(())
    }

    fn finish(self) -> Out<'py> {
        let dict = self.dict.into_any();
        match self.variant {
            Some(variant) => self.ser.tagged(variant, dict),
            None => Ok(dict),
        }
    }
}

impl<'py, 'm> ser::SerializeMap for Map<'py, 'm> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.key = Some(key.serialize(self.ser)?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let key = self
            .key
            .take()
            .ok_or_else(|| <Error as ser::Error>::custom("a map value without its key"))?;
        self.dict.set_item(key, value.serialize(self.ser)?)?;
        Ok(())
    }
    fn end(self) -> Out<'py> {
        self.finish()
    }
}

/// A struct and a struct variant: each field is a key of the dict.
macro_rules! struct_impls {
    ($($trait:ident),*) => {$(
        impl<'py, 'm> ser::$trait for Map<'py, 'm> {
            type Ok = Bound<'py, PyAny>;
            type Error = Error;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), Error> {
                self.field(key, value)
            }
            fn end(self) -> Out<'py> {
                self.finish()
            }
        }
    )*};
}

struct_impls!(SerializeStruct, SerializeStructVariant);
