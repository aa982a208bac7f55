//! Columns of counts in, columns of cents out: numpy arrays, Arrow columns, buffers and lists, read
//! without a Python object per value where the input allows it. Conversion only: the
//! arithmetic is the core's.

use arrow_array::Array;
use arrow_array::cast::AsArray;
use arrow_array::types::{Int16Type, Int32Type, Int64Type, UInt16Type, UInt32Type, UInt64Type};
use arrow_schema::DataType;
use numpy::{PyArray1, PyArrayMethods, PyUntypedArray, PyUntypedArrayMethods};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyList, PyTuple};
use pyo3_arrow::input::AnyArray;

use crate::convert::{count_in, fast_count};
use crate::errors::{self, to_py};

/// Whether numpy has been imported by the caller. An ndarray exists only then, and the
/// numpy crate must not be asked to import numpy itself where it is not installed.
fn numpy_loaded(py: Python<'_>) -> PyResult<bool> {
    static LOADED: PyOnceLock<()> = PyOnceLock::new();
    if LOADED.get(py).is_some() {
        return Ok(true);
    }
    let loaded = py
        .import(intern!(py, "sys"))?
        .getattr(intern!(py, "modules"))?
        .contains(intern!(py, "numpy"))?;
    if loaded {
        let _ = LOADED.set(py, ());
    }
    Ok(loaded)
}

/// A column of counts and whether it came as an array (numpy), in which case the result
/// goes back as an array too.
pub(crate) struct Counts {
    pub(crate) values: Vec<u64>,
    pub(crate) array: bool,
}

fn negative(py: Python<'_>, name: &str, i: usize, v: i64) -> PyErr {
    to_py(
        py,
        &cit_core::Error::InvalidValue {
            path: format!("{name}[{i}]"),
            expected: "a whole number of 0 or more".to_owned(),
            found: v.to_string(),
        },
        None,
    )
}

fn not_whole(py: Python<'_>, name: &str, what: String) -> PyErr {
    errors::wrong_type(
        py,
        format!("`{name}`: expected whole numbers; {what} is not one: use int64"),
        name,
    )
}

fn not_one_dimensional(py: Python<'_>, name: &str, ndim: usize) -> PyErr {
    errors::invalid_value(
        py,
        format!("`{name}`: expected a one-dimensional column, found {ndim} dimensions"),
        name.to_owned(),
    )
}

fn signed<T: Copy + Into<i64>>(py: Python<'_>, name: &str, values: &[T]) -> PyResult<Vec<u64>> {
    signed_at(py, name, 0, values)
}

/// `signed` of values that start at position `at` of the column (a chunk of a stream).
fn signed_at<T: Copy + Into<i64>>(
    py: Python<'_>,
    name: &str,
    at: usize,
    values: &[T],
) -> PyResult<Vec<u64>> {
    values
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            let v: i64 = v.into();
            u64::try_from(v).map_err(|_| negative(py, name, at + i, v))
        })
        .collect()
}

/// Unsigned counts widened to `u64`.
fn widened<T: Copy + Into<u64>>(values: &[T]) -> Vec<u64> {
    values.iter().map(|&v| v.into()).collect()
}

/// One numpy array of any integer dtype (never float or bool: a float cannot be a count),
/// read in place when contiguous.
fn numpy_column(array: &Bound<'_, PyUntypedArray>, name: &str) -> PyResult<Vec<u64>> {
    let py = array.py();
    if array.ndim() != 1 {
        return Err(not_one_dimensional(py, name, array.ndim()));
    }
    fn read<'py, T, F>(array: &Bound<'py, PyUntypedArray>, f: F) -> PyResult<Option<Vec<u64>>>
    where
        T: numpy::Element + Copy,
        F: FnOnce(&[T]) -> PyResult<Vec<u64>>,
    {
        let Ok(typed) = array.cast::<PyArray1<T>>() else {
            return Ok(None);
        };
        let view = typed
            .try_readonly()
            .map_err(|e| pyo3::exceptions::PyRuntimeError::new_err(e.to_string()))?;
        match view.as_slice() {
            Ok(slice) => f(slice).map(Some),
            // Strided (a column of a 2-D array, a slice with a step): one copy first.
            Err(_) => f(&view.as_array().iter().copied().collect::<Vec<T>>()).map(Some),
        }
    }
    if let Some(v) = read::<i64, _>(array, |s| signed(py, name, s))? {
        return Ok(v);
    }
    if let Some(v) = read::<u64, _>(array, |s| Ok(s.to_vec()))? {
        return Ok(v);
    }
    if let Some(v) = read::<i32, _>(array, |s| signed(py, name, s))? {
        return Ok(v);
    }
    if let Some(v) = read::<u32, _>(array, |s| Ok(widened(s)))? {
        return Ok(v);
    }
    if let Some(v) = read::<i16, _>(array, |s| signed(py, name, s))? {
        return Ok(v);
    }
    if let Some(v) = read::<u16, _>(array, |s| Ok(widened(s)))? {
        return Ok(v);
    }
    let dtype = array.dtype();
    Err(not_whole(
        py,
        name,
        format!("a numpy array of dtype {}", dtype.str()?),
    ))
}

/// A column given as a one-dimensional buffer of 8-byte integers (an `array.array("q")`, a
/// `memoryview`): read in one copy through `memoryview`, which the stable ABI offers.
/// `None` for lists, tuples and anything else without such a buffer.
fn buffer_column(obj: &Bound<'_, PyAny>, name: &str) -> PyResult<Option<Vec<u64>>> {
    let py = obj.py();
    let Ok(view) = py
        .import(intern!(py, "builtins"))?
        .getattr(intern!(py, "memoryview"))?
        .call1((obj,))
    else {
        return Ok(None);
    };
    let format: String = view.getattr("format")?.extract()?;
    let itemsize: usize = view.getattr("itemsize")?.extract()?;
    let ndim: usize = view.getattr("ndim")?.extract()?;
    let is_signed = match format.trim_start_matches(['<', '=', '@']) {
        "q" | "l" if itemsize == 8 => true,
        "Q" | "L" if itemsize == 8 => false,
        _ => {
            return Err(not_whole(
                py,
                name,
                format!("a buffer of format {format:?} (item size {itemsize})"),
            ));
        }
    };
    if ndim != 1 {
        return Err(not_one_dimensional(py, name, ndim));
    }
    let bytes = view.call_method0("tobytes")?;
    let bytes = bytes.cast::<PyBytes>()?.as_bytes();
    bytes
        .chunks_exact(8)
        .enumerate()
        .map(|(i, chunk)| {
            let mut b = [0u8; 8];
            b.copy_from_slice(chunk);
            if is_signed {
                let v = i64::from_ne_bytes(b);
                u64::try_from(v).map_err(|_| negative(py, name, i, v))
            } else {
                Ok(u64::from_ne_bytes(b))
            }
        })
        .collect::<PyResult<Vec<u64>>>()
        .map(Some)
}

/// An Arrow column of any integer type (never float, bool or decimal), every chunk of a
/// stream in order; a null is refused (a count cannot be missing).
fn arrow_column(column: AnyArray, name: &str, py: Python<'_>) -> PyResult<Vec<u64>> {
    let chunked = column.into_chunked_array()?;
    let mut values = Vec::with_capacity(chunked.chunks().iter().map(|c| c.len()).sum());
    for chunk in chunked.chunks() {
        if let Some(at) = (0..chunk.len()).find(|&i| chunk.is_null(i)) {
            return Err(to_py(
                py,
                &cit_core::Error::InvalidValue {
                    path: format!("{name}[{}]", values.len() + at),
                    expected: "a whole number of 0 or more".to_owned(),
                    found: "null".to_owned(),
                },
                None,
            ));
        }
        let at = values.len();
        let more = match chunk.data_type() {
            DataType::Int64 => signed_at(py, name, at, chunk.as_primitive::<Int64Type>().values()),
            DataType::Int32 => signed_at(py, name, at, chunk.as_primitive::<Int32Type>().values()),
            DataType::Int16 => signed_at(py, name, at, chunk.as_primitive::<Int16Type>().values()),
            DataType::UInt64 => Ok(chunk.as_primitive::<UInt64Type>().values().to_vec()),
            DataType::UInt32 => Ok(widened(chunk.as_primitive::<UInt32Type>().values())),
            DataType::UInt16 => Ok(widened(chunk.as_primitive::<UInt16Type>().values())),
            other => {
                return Err(not_whole(
                    py,
                    name,
                    format!("an Arrow column of type {other}"),
                ));
            }
        };
        values.extend(more?);
    }
    Ok(values)
}

/// A column of counts: a numpy array (any integer dtype), an Arrow column (an object with
/// `__arrow_c_array__` or `__arrow_c_stream__`: a pyarrow array, a polars or pandas
/// Series), a buffer of 8-byte integers, or any iterable of ints (a list, a tuple).
pub(crate) fn counts_in(obj: &Bound<'_, PyAny>, name: &str) -> PyResult<Counts> {
    let py = obj.py();
    let sequence = obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>();
    if !sequence {
        if numpy_loaded(py)? {
            if let Ok(array) = obj.cast::<PyUntypedArray>() {
                return Ok(Counts {
                    values: numpy_column(array, name)?,
                    array: true,
                });
            }
        }
        if obj.hasattr(intern!(py, "__arrow_c_array__"))?
            || obj.hasattr(intern!(py, "__arrow_c_stream__"))?
        {
            // An exporter that cannot export (a pandas Series without pyarrow installed)
            // leaves the column to the paths below.
            if let Ok(column) = obj.extract::<AnyArray>() {
                return Ok(Counts {
                    values: arrow_column(column, name, py)?,
                    array: true,
                });
            }
        }
        if let Some(values) = buffer_column(obj, name)? {
            return Ok(Counts {
                values,
                array: false,
            });
        }
    }
    let mut values = Vec::with_capacity(obj.len().unwrap_or(0));
    for (i, v) in obj.try_iter()?.enumerate() {
        let v = v?;
        // The common case without building an error path; count_in for the rest.
        match fast_count(&v) {
            Some(n) => values.push(n),
            None => values.push(count_in(&v, &format!("{name}[{i}]"))?),
        }
    }
    Ok(Counts {
        values,
        array: false,
    })
}

/// Integers (cents, counts) as a numpy `int64` array that owns the vector (no copy, no
/// Python object per value).
pub(crate) fn int64_array(py: Python<'_>, values: Vec<i64>) -> Bound<'_, PyAny> {
    PyArray1::from_vec(py, values).into_any()
}
