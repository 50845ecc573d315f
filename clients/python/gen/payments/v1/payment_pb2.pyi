from google.protobuf import timestamp_pb2 as _timestamp_pb2
from payments.v1 import errors_pb2 as _errors_pb2
from payments.v1 import money_pb2 as _money_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor
PAYMENT_METHOD_TYPE_BANK_TRANSFER: PaymentMethodType
PAYMENT_METHOD_TYPE_QRIS: PaymentMethodType
PAYMENT_METHOD_TYPE_REMITTANCE: PaymentMethodType
PAYMENT_METHOD_TYPE_UNSPECIFIED: PaymentMethodType
PAYMENT_METHOD_TYPE_VIRTUAL_ACCOUNT: PaymentMethodType
PAYMENT_STATUS_CANCELED: PaymentStatus
PAYMENT_STATUS_EXPIRED: PaymentStatus
PAYMENT_STATUS_FAILED: PaymentStatus
PAYMENT_STATUS_PENDING: PaymentStatus
PAYMENT_STATUS_PROCESSING: PaymentStatus
PAYMENT_STATUS_REQUIRES_ACTION: PaymentStatus
PAYMENT_STATUS_SUCCEEDED: PaymentStatus
PAYMENT_STATUS_UNSPECIFIED: PaymentStatus
VIRTUAL_ACCOUNT_BANK_BCA: VirtualAccountBank
VIRTUAL_ACCOUNT_BANK_BNI: VirtualAccountBank
VIRTUAL_ACCOUNT_BANK_BRI: VirtualAccountBank
VIRTUAL_ACCOUNT_BANK_PERMATA: VirtualAccountBank
VIRTUAL_ACCOUNT_BANK_UNSPECIFIED: VirtualAccountBank

class BankTransferMethod(_message.Message):
    __slots__ = ["account_holder_name", "account_number", "bank_code"]
    ACCOUNT_HOLDER_NAME_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_NUMBER_FIELD_NUMBER: _ClassVar[int]
    BANK_CODE_FIELD_NUMBER: _ClassVar[int]
    account_holder_name: str
    account_number: str
    bank_code: str
    def __init__(self, bank_code: _Optional[str] = ..., account_number: _Optional[str] = ..., account_holder_name: _Optional[str] = ...) -> None: ...

class CustomerAction(_message.Message):
    __slots__ = ["qris", "virtual_account"]
    QRIS_FIELD_NUMBER: _ClassVar[int]
    VIRTUAL_ACCOUNT_FIELD_NUMBER: _ClassVar[int]
    qris: QrisAction
    virtual_account: VirtualAccountAction
    def __init__(self, qris: _Optional[_Union[QrisAction, _Mapping]] = ..., virtual_account: _Optional[_Union[VirtualAccountAction, _Mapping]] = ...) -> None: ...

class Payment(_message.Message):
    __slots__ = ["adapter", "amount", "bank_transfer", "created_at", "customer_action", "description", "expires_at", "failure", "id", "merchant_reference", "metadata", "needs_review", "outcome_unknown", "provider_reference", "qris", "remittance", "review_reason", "status", "updated_at", "virtual_account"]
    class MetadataEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    ADAPTER_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    BANK_TRANSFER_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ACTION_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    FAILURE_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    MERCHANT_REFERENCE_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    NEEDS_REVIEW_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_UNKNOWN_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_REFERENCE_FIELD_NUMBER: _ClassVar[int]
    QRIS_FIELD_NUMBER: _ClassVar[int]
    REMITTANCE_FIELD_NUMBER: _ClassVar[int]
    REVIEW_REASON_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    VIRTUAL_ACCOUNT_FIELD_NUMBER: _ClassVar[int]
    adapter: str
    amount: _money_pb2.Money
    bank_transfer: BankTransferMethod
    created_at: _timestamp_pb2.Timestamp
    customer_action: CustomerAction
    description: str
    expires_at: _timestamp_pb2.Timestamp
    failure: _errors_pb2.PaymentFailure
    id: str
    merchant_reference: str
    metadata: _containers.ScalarMap[str, str]
    needs_review: bool
    outcome_unknown: bool
    provider_reference: str
    qris: QrisMethod
    remittance: RemittanceMethod
    review_reason: str
    status: PaymentStatus
    updated_at: _timestamp_pb2.Timestamp
    virtual_account: VirtualAccountMethod
    def __init__(self, id: _Optional[str] = ..., amount: _Optional[_Union[_money_pb2.Money, _Mapping]] = ..., status: _Optional[_Union[PaymentStatus, str]] = ..., qris: _Optional[_Union[QrisMethod, _Mapping]] = ..., virtual_account: _Optional[_Union[VirtualAccountMethod, _Mapping]] = ..., bank_transfer: _Optional[_Union[BankTransferMethod, _Mapping]] = ..., remittance: _Optional[_Union[RemittanceMethod, _Mapping]] = ..., merchant_reference: _Optional[str] = ..., description: _Optional[str] = ..., metadata: _Optional[_Mapping[str, str]] = ..., created_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., expires_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., adapter: _Optional[str] = ..., provider_reference: _Optional[str] = ..., customer_action: _Optional[_Union[CustomerAction, _Mapping]] = ..., failure: _Optional[_Union[_errors_pb2.PaymentFailure, _Mapping]] = ..., outcome_unknown: bool = ..., needs_review: bool = ..., review_reason: _Optional[str] = ...) -> None: ...

class QrisAction(_message.Message):
    __slots__ = ["qr_string"]
    QR_STRING_FIELD_NUMBER: _ClassVar[int]
    qr_string: str
    def __init__(self, qr_string: _Optional[str] = ...) -> None: ...

class QrisMethod(_message.Message):
    __slots__ = ["terminal_label"]
    TERMINAL_LABEL_FIELD_NUMBER: _ClassVar[int]
    terminal_label: str
    def __init__(self, terminal_label: _Optional[str] = ...) -> None: ...

class RemittanceMethod(_message.Message):
    __slots__ = ["quote_id", "recipient", "reference"]
    QUOTE_ID_FIELD_NUMBER: _ClassVar[int]
    RECIPIENT_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    quote_id: str
    recipient: RemittanceRecipient
    reference: str
    def __init__(self, quote_id: _Optional[str] = ..., recipient: _Optional[_Union[RemittanceRecipient, _Mapping]] = ..., reference: _Optional[str] = ...) -> None: ...

class RemittanceRecipient(_message.Message):
    __slots__ = ["account_holder_name", "currency", "details", "type"]
    class DetailsEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    ACCOUNT_HOLDER_NAME_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    account_holder_name: str
    currency: str
    details: _containers.ScalarMap[str, str]
    type: str
    def __init__(self, currency: _Optional[str] = ..., type: _Optional[str] = ..., account_holder_name: _Optional[str] = ..., details: _Optional[_Mapping[str, str]] = ...) -> None: ...

class VirtualAccountAction(_message.Message):
    __slots__ = ["bank", "va_number"]
    BANK_FIELD_NUMBER: _ClassVar[int]
    VA_NUMBER_FIELD_NUMBER: _ClassVar[int]
    bank: VirtualAccountBank
    va_number: str
    def __init__(self, bank: _Optional[_Union[VirtualAccountBank, str]] = ..., va_number: _Optional[str] = ...) -> None: ...

class VirtualAccountMethod(_message.Message):
    __slots__ = ["bank", "custom_va_number", "customer_name"]
    BANK_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_NAME_FIELD_NUMBER: _ClassVar[int]
    CUSTOM_VA_NUMBER_FIELD_NUMBER: _ClassVar[int]
    bank: VirtualAccountBank
    custom_va_number: str
    customer_name: str
    def __init__(self, bank: _Optional[_Union[VirtualAccountBank, str]] = ..., customer_name: _Optional[str] = ..., custom_va_number: _Optional[str] = ...) -> None: ...

class PaymentStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class PaymentMethodType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class VirtualAccountBank(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
