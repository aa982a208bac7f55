//! `cit.QuoteTable`: quota totals as exact Arrow columns, read by polars, pyarrow and pandas
//! through the Arrow PyCapsule interface (no pyarrow needed by cit, no `Decimal` per row).

use std::sync::Arc;

use arrow_array::{Array, ArrayRef, Decimal128Array, Int64Array, StringArray, StructArray};
use arrow_schema::{DataType, Field, FieldRef, Fields};
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyTuple};
use pyo3_arrow::ffi::{
    ArrayIterator, to_array_pycapsules, to_schema_pycapsule, to_stream_pycapsule,
};

/// Decimal precision of `total`: every `i64` number of cents fits 19 digits.
const PRECISION: u8 = 19;
/// Money has two decimals (R-ROUND).
const SCALE: i8 = 2;

/// Quota totals as an Arrow table: `ente` (utf8, when ids were given), `total`
/// (`decimal128(19, 2)`, the exact euro amount) and `cents` (int64). Pass it to
/// `polars.DataFrame`, `pyarrow.table` or anything that reads `__arrow_c_stream__`.
#[pyclass(frozen, module = "cit", name = "QuoteTable")]
pub(crate) struct PyQuoteTable {
    columns: StructArray,
}

fn arrow_err(e: arrow_schema::ArrowError) -> PyErr {
    pyo3::exceptions::PyValueError::new_err(e.to_string())
}

impl PyQuoteTable {
    pub(crate) fn new(ids: Option<Vec<String>>, cents: Vec<i64>) -> PyResult<PyQuoteTable> {
        let mut fields = Vec::new();
        let mut arrays: Vec<ArrayRef> = Vec::new();
        if let Some(ids) = ids {
            fields.push(Field::new("ente", DataType::Utf8, false));
            arrays.push(Arc::new(StringArray::from(ids)));
        }
        let total = Decimal128Array::from_iter_values(cents.iter().map(|&c| i128::from(c)))
            .with_precision_and_scale(PRECISION, SCALE)
            .map_err(arrow_err)?;
        fields.push(Field::new(
            "total",
            DataType::Decimal128(PRECISION, SCALE),
            false,
        ));
        arrays.push(Arc::new(total));
        fields.push(Field::new("cents", DataType::Int64, false));
        arrays.push(Arc::new(Int64Array::from(cents)));
        let columns =
            StructArray::try_new(Fields::from(fields), arrays, None).map_err(arrow_err)?;
        Ok(PyQuoteTable { columns })
    }

    fn field(&self) -> FieldRef {
        Arc::new(Field::new(
            "",
            DataType::Struct(self.columns.fields().clone()),
            false,
        ))
    }
}

#[pymethods]
impl PyQuoteTable {
    /// The Arrow schema (a struct of the columns), as a PyCapsule.
    fn __arrow_c_schema__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyCapsule>> {
        Ok(to_schema_pycapsule(py, self.field().as_ref())?)
    }

    /// The table as one Arrow struct array (schema and array PyCapsules).
    #[pyo3(signature = (requested_schema = None))]
    fn __arrow_c_array__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyCapsule>>,
    ) -> PyResult<Bound<'py, PyTuple>> {
        Ok(to_array_pycapsules(
            py,
            self.field(),
            &self.columns,
            requested_schema,
        )?)
    }

    /// The table as an Arrow stream of one record batch, as a PyCapsule.
    #[pyo3(signature = (requested_schema = None))]
    fn __arrow_c_stream__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyCapsule>>,
    ) -> PyResult<Bound<'py, PyCapsule>> {
        let batch: ArrayRef = Arc::new(self.columns.clone());
        let reader = ArrayIterator::new(vec![Ok(batch)], self.field());
        Ok(to_stream_pycapsule(py, Box::new(reader), requested_schema)?)
    }

    /// The column names.
    #[getter]
    fn column_names(&self) -> Vec<String> {
        self.columns
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect()
    }

    /// The number of rows.
    fn __len__(&self) -> usize {
        self.columns.len()
    }

    fn __repr__(&self) -> String {
        format!(
            "QuoteTable(rows={}, columns={:?})",
            self.columns.len(),
            self.column_names()
        )
    }
}
