"""pagoPA, the payment system of Italian public bodies (R-NOTICE, R-RECONCILE).

The numero avviso and the IUV of a notice, the check digits of codici fiscali, IUVs and
numeri avviso, and a *flusso di rendicontazione* (FlussoRiversamento) read from its XML.
The registry's side — the creditor, the notices, the GPD debt positions, the
reconciliation of a flow into ledger events — is on `cit.Registry`.

>>> import cit.pagopa
>>> cit.pagopa.notice_number(segregation_code="07", base="0000000012345")
'307000000001234573'
>>> cit.pagopa.valid_codice_fiscale("80008750178")
True

`read_flow` gives the flow as a dict (`cit.types.Flow`): amounts `Decimal`, dates
`datetime.date`, and `date_time` the ISO text of `dataOraFlusso` as the core writes it (the
flow gives it without a zone). A flow that cannot be read raises `cit.CitError` with
`code == "malformed"` and the element's `path`
(`FlussoRiversamento/datiSingoliPagamenti[2]/singoloImportoPagato`).
"""

from __future__ import annotations

from ._cit import iuv, notice_number, read_flow, valid_codice_fiscale, valid_iuv, valid_notice_number

__all__ = [
    "iuv",
    "notice_number",
    "read_flow",
    "valid_codice_fiscale",
    "valid_iuv",
    "valid_notice_number",
]
