//! `cit.QuoteTable` and `cit.RunTable`: quota totals and a simulation's runs as exact Arrow
//! columns, read by polars, pyarrow and pandas through the Arrow PyCapsule interface (no
//! pyarrow needed by cit, no `Decimal` per row).

use std::sync::Arc;

use arrow_array::{Array, ArrayRef, Decimal128Array, Int64Array, StringArray, StructArray};
use arrow_schema::{DataType, Field, FieldRef, Fields};
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyTuple};
use pyo3_arrow::ffi::{
    ArrayIterator, to_array_pycapsules, to_schema_pycapsule, to_stream_pycapsule,
};

/// Decimal precision of the money columns: every `i64` number of cents fits 19 digits.
const PRECISION: u8 = 19;
/// Money has two decimals (R-ROUND).
const SCALE: i8 = 2;

/// Columns of one Arrow struct array, exported through the PyCapsule interface.
struct Columns(StructArray);

fn arrow_err(e: arrow_schema::ArrowError) -> PyErr {
    pyo3::exceptions::PyValueError::new_err(e.to_string())
}

/// Integer cents as an exact `decimal128(19, 2)` column.
fn money_column(cents: &[i64]) -> PyResult<ArrayRef> {
    let total = Decimal128Array::from_iter_values(cents.iter().map(|&c| i128::from(c)))
        .with_precision_and_scale(PRECISION, SCALE)
        .map_err(arrow_err)?;
    Ok(Arc::new(total))
}

impl Columns {
    fn new(fields: Vec<Field>, arrays: Vec<ArrayRef>) -> PyResult<Columns> {
        StructArray::try_new(Fields::from(fields), arrays, None)
            .map(Columns)
            .map_err(arrow_err)
    }

    fn field(&self) -> FieldRef {
        Arc::new(Field::new(
            "",
            DataType::Struct(self.0.fields().clone()),
            false,
        ))
    }

    fn schema<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyCapsule>> {
        Ok(to_schema_pycapsule(py, self.field().as_ref())?)
    }

    fn array<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyCapsule>>,
    ) -> PyResult<Bound<'py, PyTuple>> {
        Ok(to_array_pycapsules(
            py,
            self.field(),
            &self.0,
            requested_schema,
        )?)
    }

    fn stream<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyCapsule>>,
    ) -> PyResult<Bound<'py, PyCapsule>> {
        let batch: ArrayRef = Arc::new(self.0.clone());
        let reader = ArrayIterator::new(vec![Ok(batch)], self.field());
        Ok(to_stream_pycapsule(py, Box::new(reader), requested_schema)?)
    }

    fn names(&self) -> Vec<String> {
        self.0.fields().iter().map(|f| f.name().clone()).collect()
    }

    fn len(&self) -> usize {
        self.0.len()
    }
}

/// Quota totals as an Arrow table: `ente` (utf8, when ids were given), `total`
/// (`decimal128(19, 2)`, the exact euro amount) and `cents` (int64). Pass it to
/// `polars.DataFrame`, `pyarrow.table` or anything that reads `__arrow_c_stream__`.
#[pyclass(frozen, module = "cit", name = "QuoteTable")]
pub(crate) struct PyQuoteTable {
    columns: Columns,
}

impl PyQuoteTable {
    pub(crate) fn new(ids: Option<Vec<String>>, cents: Vec<i64>) -> PyResult<PyQuoteTable> {
        let mut fields = Vec::new();
        let mut arrays: Vec<ArrayRef> = Vec::new();
        if let Some(ids) = ids {
            fields.push(Field::new("ente", DataType::Utf8, false));
            arrays.push(Arc::new(StringArray::from(ids)));
        }
        fields.push(Field::new(
            "total",
            DataType::Decimal128(PRECISION, SCALE),
            false,
        ));
        arrays.push(money_column(&cents)?);
        fields.push(Field::new("cents", DataType::Int64, false));
        arrays.push(Arc::new(Int64Array::from(cents)));
        Ok(PyQuoteTable {
            columns: Columns::new(fields, arrays)?,
        })
    }
}

/// The runs of a simulation as an Arrow table, one row a run in order: `members`,
/// `residents` (int64), `revenue` (`decimal128(19, 2)`, exact euro) and `revenue_cents`
/// (int64).
#[pyclass(frozen, module = "cit", name = "RunTable")]
pub(crate) struct PyRunTable {
    columns: Columns,
}

impl PyRunTable {
    pub(crate) fn new(
        members: Vec<i64>,
        residents: Vec<i64>,
        revenue_cents: Vec<i64>,
    ) -> PyResult<PyRunTable> {
        let fields = vec![
            Field::new("members", DataType::Int64, false),
            Field::new("residents", DataType::Int64, false),
            Field::new("revenue", DataType::Decimal128(PRECISION, SCALE), false),
            Field::new("revenue_cents", DataType::Int64, false),
        ];
        let revenue = money_column(&revenue_cents)?;
        let arrays: Vec<ArrayRef> = vec![
            Arc::new(Int64Array::from(members)),
            Arc::new(Int64Array::from(residents)),
            revenue,
            Arc::new(Int64Array::from(revenue_cents)),
        ];
        Ok(PyRunTable {
            columns: Columns::new(fields, arrays)?,
        })
    }
}

/// The Arrow PyCapsule methods, the column names, `len` and `repr` of a table class.
macro_rules! arrow_table_methods {
    ($class:ident, $name:literal) => {
        #[pymethods]
        impl $class {
            /// The Arrow schema (a struct of the columns), as a PyCapsule.
            fn __arrow_c_schema__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyCapsule>> {
                self.columns.schema(py)
            }

            /// The table as one Arrow struct array (schema and array PyCapsules).
            #[pyo3(signature = (requested_schema = None))]
            fn __arrow_c_array__<'py>(
                &self,
                py: Python<'py>,
                requested_schema: Option<Bound<'py, PyCapsule>>,
            ) -> PyResult<Bound<'py, PyTuple>> {
                self.columns.array(py, requested_schema)
            }

            /// The table as an Arrow stream of one record batch, as a PyCapsule.
            #[pyo3(signature = (requested_schema = None))]
            fn __arrow_c_stream__<'py>(
                &self,
                py: Python<'py>,
                requested_schema: Option<Bound<'py, PyCapsule>>,
            ) -> PyResult<Bound<'py, PyCapsule>> {
                self.columns.stream(py, requested_schema)
            }

            /// The column names.
            #[getter]
            fn column_names(&self) -> Vec<String> {
                self.columns.names()
            }

            /// The number of rows.
            fn __len__(&self) -> usize {
                self.columns.len()
            }

            fn __repr__(&self) -> String {
                format!(
                    concat!($name, "(rows={}, columns={:?})"),
                    self.columns.len(),
                    self.columns.names()
                )
            }
        }
    };
}

arrow_table_methods!(PyQuoteTable, "QuoteTable");
arrow_table_methods!(PyRunTable, "RunTable");
