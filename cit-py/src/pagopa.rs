//! `cit.pagopa` (R-NOTICE, R-RECONCILE): the numero avviso and the IUV, the check digits
//! of codici fiscali, IUVs and numeri avviso, and the flusso di rendicontazione read from
//! its XML. The registry's side is on `cit.Registry`.

use cit_core::pagopa;
use pyo3::prelude::*;

use crate::errors::IntoPy;

/// The numero avviso (18 digits) of a notice: the aux digit 3, the codice di segregazione
/// (`00` to `49`), the 13-digit IUV base and the two check digits (R-NOTICE).
#[pyfunction]
#[pyo3(signature = (*, segregation_code, base))]
pub(crate) fn notice_number(
    py: Python<'_>,
    segregation_code: &str,
    base: &str,
) -> PyResult<String> {
    pagopa::notice_number(segregation_code, base).py_err(py)
}

/// The IUV (17 digits) of a notice: the numero avviso without its aux digit (R-NOTICE).
#[pyfunction]
#[pyo3(signature = (*, segregation_code, base))]
pub(crate) fn iuv(py: Python<'_>, segregation_code: &str, base: &str) -> PyResult<String> {
    pagopa::iuv(segregation_code, base).py_err(py)
}

/// True if `code` is the codice fiscale of a body: 11 digits with the right check digit.
#[pyfunction]
pub(crate) fn valid_codice_fiscale(code: &str) -> bool {
    pagopa::valid_codice_fiscale(code)
}

/// True if `iuv` is an IUV of 17 digits with a codice di segregazione and the right
/// check digits (aux digit 3).
#[pyfunction]
pub(crate) fn valid_iuv(iuv: &str) -> bool {
    pagopa::valid_iuv(iuv)
}

/// True if `number` is a numero avviso: `3` and a valid IUV.
#[pyfunction]
pub(crate) fn valid_notice_number(number: &str) -> bool {
    pagopa::valid_notice_number(number)
}

/// Reads a flusso di rendicontazione (FlussoRiversamento) from its XML text, as a dict:
/// amounts `Decimal`, dates `datetime.date`, `date_time` the ISO text of `dataOraFlusso`
/// (it has no zone). A flow that cannot be read raises `CitError` with code `malformed`
/// and the element's path (`FlussoRiversamento/datiSingoliPagamenti[2]/singoloImportoPagato`).
#[pyfunction]
pub(crate) fn read_flow<'py>(py: Python<'py>, xml: &str) -> PyResult<Bound<'py, PyAny>> {
    let flow = pagopa::Flow::from_xml(xml).py_err(py)?;
    crate::pyser::to_py(py, &flow)
}
