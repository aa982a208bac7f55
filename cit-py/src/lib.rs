//! `cit._cit`: the compiled part of the Python package `cit`. Conversion code only: every
//! rule lives in `cit-core`; this crate turns Python values into core values and back
//! (money as `decimal.Decimal`, never a float; dates as `datetime.date`) and core errors
//! into the exceptions of `cit.errors`.

mod analysis;
mod columns;
mod convert;
mod errors;
mod governance;
mod pagopa;
mod pyde;
mod pyser;
mod registry;
mod table;
mod tariff;

use pyo3::prelude::*;

/// The compiled module; `cit/__init__.py` re-exports it.
#[pymodule]
fn _cit(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<tariff::PyTariff>()?;
    m.add_class::<tariff::PyQuote>()?;
    m.add_class::<table::PyQuoteTable>()?;
    m.add_class::<table::PyRunTable>()?;
    m.add_class::<governance::PyBoard>()?;
    m.add_class::<registry::PyRegistry>()?;
    m.add_function(wrap_pyfunction!(registry::journal_entry, m)?)?;
    m.add_function(wrap_pyfunction!(governance::py_yearly, m)?)?;
    m.add_function(wrap_pyfunction!(analysis::break_even, m)?)?;
    m.add_function(wrap_pyfunction!(analysis::check_price, m)?)?;
    m.add_function(wrap_pyfunction!(analysis::saving, m)?)?;
    m.add_function(wrap_pyfunction!(analysis::candidates, m)?)?;
    m.add_function(wrap_pyfunction!(analysis::simulate, m)?)?;
    m.add_function(wrap_pyfunction!(analysis::is_small, m)?)?;
    m.add_function(wrap_pyfunction!(analysis::format_euro, m)?)?;
    m.add_function(wrap_pyfunction!(pagopa::notice_number, m)?)?;
    m.add_function(wrap_pyfunction!(pagopa::iuv, m)?)?;
    m.add_function(wrap_pyfunction!(pagopa::valid_codice_fiscale, m)?)?;
    m.add_function(wrap_pyfunction!(pagopa::valid_iuv, m)?)?;
    m.add_function(wrap_pyfunction!(pagopa::valid_notice_number, m)?)?;
    m.add_function(wrap_pyfunction!(pagopa::read_flow, m)?)?;
    // The core's codes, then the one the binding adds (a value of the wrong Python type).
    let mut codes = cit_core::Error::CODES.to_vec();
    codes.push(errors::WRONG_TYPE);
    m.add("ERROR_CODES", codes)?;
    // Private: set, not `add`ed, so it stays out of `__all__`.
    m.setattr(
        "_ERROR_CLASSES",
        errors::Class::ALL
            .iter()
            .map(|c| c.name())
            .collect::<Vec<_>>(),
    )?;
    m.add(
        "RULES",
        cit_core::Rule::ALL
            .iter()
            .map(|r| r.id())
            .collect::<Vec<_>>(),
    )?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
