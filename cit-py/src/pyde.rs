//! Documents read straight from Python values by the core's own `Deserialize` (the mirror
//! of [`crate::pyser`]): a dict is a JSON object, a list or tuple an array, a `str` a
//! string, an `int` a whole number, a `Decimal` a JSON number read from its digits (so it
//! is money or a rate where the document has one, and refused where it has text), a
//! `datetime.date` its ISO text, `None` null. Nothing is written to JSON text and parsed
//! again: the core's types read the dict, with the same errors at the same paths as the
//! JSON documents (serde_path_to_error), and the tagged documents (events, standings,
//! prices) are read through the core's mirror with their tag first
//! (`cit_core::json::TAGGED_PREFIX`).
//!
//! A float anywhere is refused (it cannot hold 0,15 exactly), as are a `datetime`, a
//! non-finite `Decimal`, a key that is not a `str` and any other type: a `cit.CitTypeError`
//! (`wrong_type`) at the value's path.

use std::fmt;

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple, PyType};
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, EnumAccess, IntoDeserializer, MapAccess, SeqAccess,
    VariantAccess, Visitor,
};

use crate::convert::type_name;
use crate::errors::{self, to_py};

static DATE: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static DATETIME: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// How serde_json (with `arbitrary_precision`) hands a number to the core's decimal
/// readers: a map of one entry under this key, the number's text its value.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// Why a Python value could not be read.
pub(crate) enum PyDeError {
    /// What serde's readers say (a missing field, a wrong type for the document).
    Custom(String),
    /// A Python type no document holds (a float, a datetime, …): why, for the message.
    WrongType(String),
    /// An exception raised by Python while the value was read.
    Python(PyErr),
}

impl fmt::Display for PyDeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PyDeError::Custom(m) | PyDeError::WrongType(m) => f.write_str(m),
            PyDeError::Python(e) => write!(f, "{e}"),
        }
    }
}

impl fmt::Debug for PyDeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for PyDeError {}

impl de::Error for PyDeError {
    fn custom<T: fmt::Display>(msg: T) -> PyDeError {
        PyDeError::Custom(msg.to_string())
    }
}

impl From<PyErr> for PyDeError {
    fn from(e: PyErr) -> PyDeError {
        PyDeError::Python(e)
    }
}

/// A document of type `T` from a Python value (a dict, a list, …) or from its JSON text (a
/// `str`), read by the core's `Deserialize`; an error is the core's `malformed` error of
/// `document` at its path, or a `cit.CitTypeError` at the path of a value of a type no
/// document holds.
pub(crate) fn from_py<T: DeserializeOwned>(
    document: &'static str,
    obj: &Bound<'_, PyAny>,
) -> PyResult<T> {
    let py = obj.py();
    if let Ok(text) = obj.cast::<PyString>() {
        return cit_core::json::parse(document, text.to_str()?).map_err(|e| to_py(py, &e, None));
    }
    // First without following the path (its bookkeeping costs as much as the reading);
    // only a value that fails is read again, with it, for the error (as the core reads a
    // journal: `json::read_fast`). The GIL is held: the value cannot change in between.
    if let Ok(value) = T::deserialize(PyDe(obj)) {
        return Ok(value);
    }
    serde_path_to_error::deserialize(PyDe(obj)).map_err(|e| {
        let path = e.path().to_string();
        match e.into_inner() {
            PyDeError::Python(err) => err,
            PyDeError::WrongType(why) => errors::wrong_type(py, format!("`{path}`: {why}"), &path),
            PyDeError::Custom(message) => to_py(
                py,
                &cit_core::json::malformed(document, &path, &message),
                None,
            ),
        }
    })
}

/// A Python value as a serde deserializer.
struct PyDe<'a, 'py>(&'a Bound<'py, PyAny>);

impl PyDe<'_, '_> {
    /// A `Decimal`'s digits (`format(d, "f")`), or `None` for any other value.
    fn decimal_text(&self) -> Result<Option<String>, PyDeError> {
        let obj = self.0;
        if !obj.is_instance(crate::convert::decimal_class(obj.py())?)? {
            return Ok(None);
        }
        let text: String = obj.call_method1("__format__", ("f",))?.extract()?;
        // `format` writes NaN, sNaN and the infinities as words: no number has a letter.
        if text.bytes().any(|b| b.is_ascii_alphabetic()) {
            return Err(PyDeError::WrongType(format!(
                "expected a finite Decimal, found Decimal('{text}')"
            )));
        }
        Ok(Some(text))
    }
}

impl<'de> de::Deserializer<'de> for PyDe<'_, '_> {
    type Error = PyDeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, PyDeError> {
        let obj = self.0;
        let py = obj.py();
        // The usual values first, by their exact type (a pointer comparison each).
        if obj.is_exact_instance_of::<PyInt>() {
            if let Ok(n) = obj.extract::<u64>() {
                return visitor.visit_u64(n);
            }
        }
        if let Ok(s) = obj.cast::<PyString>() {
            return visitor.visit_str(s.to_str()?);
        }
        if let Ok(dict) = obj.cast::<PyDict>() {
            return visitor.visit_map(Dict::new(dict, None));
        }
        if obj.is_none() {
            return visitor.visit_unit();
        }
        if obj.is_instance_of::<PyBool>() {
            return visitor.visit_bool(obj.is_truthy()?);
        }
        if obj.is_instance_of::<PyInt>() {
            if let Ok(n) = obj.extract::<u64>() {
                return visitor.visit_u64(n);
            }
            if let Ok(n) = obj.extract::<i64>() {
                return visitor.visit_i64(n);
            }
            // Beyond 64 bits: a number read from its digits, as JSON text would be.
            return visitor.visit_map(Number(Some(obj.str()?.to_string())));
        }
        if let Some(text) = self.decimal_text()? {
            return visitor.visit_map(Number(Some(text)));
        }
        if let Ok(list) = obj.cast::<PyList>() {
            return visitor.visit_seq(Items::new(list.as_any())?);
        }
        if let Ok(tuple) = obj.cast::<PyTuple>() {
            return visitor.visit_seq(Items::new(tuple.as_any())?);
        }
        if obj.is_instance_of::<PyFloat>() {
            return Err(PyDeError::WrongType(format!(
                "expected a Decimal, an int or a str, found float {} (a float cannot hold amounts such as 0.15 exactly: pass a Decimal or a str)",
                obj.repr()?
            )));
        }
        if obj.is_instance(DATETIME.import(py, "datetime", "datetime")?)? {
            return Err(PyDeError::WrongType(format!(
                "expected a datetime.date (not a datetime) or an ISO date str, found {}",
                obj.repr()?
            )));
        }
        if obj.is_instance(DATE.import(py, "datetime", "date")?)? {
            let iso: String = obj.call_method0("isoformat")?.extract()?;
            return visitor.visit_string(iso);
        }
        Err(PyDeError::WrongType(format!(
            "expected a value of a document (dict, list, str, int, Decimal, date, bool or None), found {}",
            type_name(obj)
        )))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, PyDeError> {
        if self.0.is_none() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, PyDeError> {
        // A tagged document: its map with the tag first (the core's mirror reads it).
        if let (Some(tag), Ok(dict)) = (
            name.strip_prefix(cit_core::json::TAGGED_PREFIX),
            self.0.cast::<PyDict>(),
        ) {
            return visitor.visit_map(Dict::new(dict, Some(tag)));
        }
        if name.starts_with(cit_core::json::TAGGED_PREFIX) {
            return self.deserialize_any(visitor);
        }
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, PyDeError> {
        let obj = self.0;
        if let Ok(s) = obj.cast::<PyString>() {
            let variant: de::value::StrDeserializer<'_, PyDeError> =
                s.to_str()?.into_deserializer();
            return visitor.visit_enum(variant);
        }
        if let Ok(dict) = obj.cast::<PyDict>() {
            if dict.len() == 1 {
                if let Some((key, value)) = dict.iter().next() {
                    let key = key
                        .cast_into::<PyString>()
                        .map_err(|_| PyDeError::WrongType("expected a str key".to_owned()))?;
                    return visitor.visit_enum(Variant { key, value });
                }
            }
        }
        Err(de::Error::invalid_type(
            unexpected(obj),
            &"a string or a map of one entry",
        ))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

/// What serde's messages call a value of the wrong kind.
fn unexpected(obj: &Bound<'_, PyAny>) -> de::Unexpected<'static> {
    if obj.is_instance_of::<PyDict>() {
        de::Unexpected::Map
    } else if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        de::Unexpected::Seq
    } else if obj.is_none() {
        de::Unexpected::Unit
    } else {
        de::Unexpected::Other("a value of another kind")
    }
}

/// A dict's entries; with a tag, its entry first.
struct Dict<'py> {
    dict: Bound<'py, PyDict>,
    items: pyo3::types::iter::BoundDictIterator<'py>,
    /// The tag still to give first.
    tag: Option<&'static str>,
    /// The tag given first, skipped among the entries.
    skip: Option<&'static str>,
    /// The value of the key just given.
    value: Option<Bound<'py, PyAny>>,
}

impl<'py> Dict<'py> {
    fn new(dict: &Bound<'py, PyDict>, tag: Option<&'static str>) -> Dict<'py> {
        Dict {
            dict: dict.clone(),
            items: dict.clone().into_iter(),
            tag,
            skip: None,
            value: None,
        }
    }
}

impl<'de> MapAccess<'de> for Dict<'_> {
    type Error = PyDeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, PyDeError> {
        if let Some(tag) = self.tag.take() {
            if let Some(value) = self.dict.get_item(tag)? {
                self.skip = Some(tag);
                self.value = Some(value);
                let key: de::value::StrDeserializer<'_, PyDeError> = tag.into_deserializer();
                return seed.deserialize(key).map(Some);
            }
            // No tag: the core's mirror finds another key first and names the tag missing.
        }
        for (key, value) in self.items.by_ref() {
            let key = key.cast_into::<PyString>().map_err(|e| {
                PyDeError::WrongType(format!(
                    "expected a str key (a document's keys are text), found {}",
                    type_name(&e.into_inner())
                ))
            })?;
            let text = key.to_str()?;
            if Some(text) == self.skip {
                continue; // the tag, given first already
            }
            self.value = Some(value);
            let key: de::value::StrDeserializer<'_, PyDeError> = text.into_deserializer();
            return seed.deserialize(key).map(Some);
        }
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, PyDeError> {
        let value = self
            .value
            .take()
            .ok_or_else(|| PyDeError::Custom("a value asked for before its key".to_owned()))?;
        seed.deserialize(PyDe(&value))
    }
}

/// The items of a list or a tuple.
struct Items<'py> {
    items: Bound<'py, PyAny>,
    len: usize,
    next: usize,
}

impl<'py> Items<'py> {
    fn new(items: &Bound<'py, PyAny>) -> PyResult<Items<'py>> {
        Ok(Items {
            items: items.clone(),
            len: items.len()?,
            next: 0,
        })
    }
}

impl<'de> SeqAccess<'de> for Items<'_> {
    type Error = PyDeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, PyDeError> {
        if self.next >= self.len {
            return Ok(None);
        }
        let item = self.items.get_item(self.next)?;
        self.next += 1;
        seed.deserialize(PyDe(&item)).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.len - self.next)
    }
}

/// A number as serde_json hands one to the core's decimal readers: one entry, its text.
struct Number(Option<String>);

impl<'de> MapAccess<'de> for Number {
    type Error = PyDeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, PyDeError> {
        if self.0.is_none() {
            return Ok(None);
        }
        let key: de::value::StrDeserializer<'_, PyDeError> = NUMBER_TOKEN.into_deserializer();
        seed.deserialize(key).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, PyDeError> {
        let text = self
            .0
            .take()
            .ok_or_else(|| PyDeError::Custom("a number read twice".to_owned()))?;
        let text: de::value::StringDeserializer<PyDeError> = text.into_deserializer();
        seed.deserialize(text)
    }
}

/// The variant of an externally tagged enum given as a dict of one entry.
struct Variant<'py> {
    key: Bound<'py, PyString>,
    value: Bound<'py, PyAny>,
}

impl<'de, 'py> EnumAccess<'de> for Variant<'py> {
    type Error = PyDeError;
    type Variant = Value<'py>;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Value<'py>), PyDeError> {
        let key: de::value::StrDeserializer<'_, PyDeError> = self.key.to_str()?.into_deserializer();
        Ok((seed.deserialize(key)?, Value(self.value)))
    }
}

/// The value of a variant given as a dict of one entry.
struct Value<'py>(Bound<'py, PyAny>);

impl<'de> VariantAccess<'de> for Value<'_> {
    type Error = PyDeError;

    fn unit_variant(self) -> Result<(), PyDeError> {
        de::Deserialize::deserialize(PyDe(&self.0))
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, PyDeError> {
        seed.deserialize(PyDe(&self.0))
    }

    fn tuple_variant<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, PyDeError> {
        de::Deserializer::deserialize_seq(PyDe(&self.0), visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, PyDeError> {
        de::Deserializer::deserialize_map(PyDe(&self.0), visitor)
    }
}
