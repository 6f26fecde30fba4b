# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from trytond.exceptions import UserError, UserWarning
from trytond.model.exceptions import AccessError, ValidationError


class KeyAccountContactError(ValidationError):
    pass


class RegisteredCapitalError(ValidationError):
    pass


class DelegationDateError(ValidationError):
    pass


class HandoverSuccessorError(UserError):
    pass


class HandoverScopeError(UserError):
    pass


class EmployeeOwnerError(UserError):
    pass


class EmployeeOwnerWarning(UserWarning):
    pass


class VisitReportError(UserError):
    pass


class UploadTypeError(UserError):
    pass


class UploadSizeError(UserError):
    pass


class ArchiveAccessError(AccessError):
    pass


class DelegationScopeError(AccessError):
    pass


class DelegationDurationError(ValidationError):
    pass


class DelegationConfirmedError(AccessError):
    pass


class CustomerScopeError(AccessError):
    pass


class ComputedFieldError(AccessError):
    pass


class VisitFutureError(UserError):
    pass


class VisitPlanError(UserError):
    pass


class ReportPeriodError(UserError):
    pass


class ArchiveInputError(ValidationError):
    pass


class HolidayFestivalError(ValidationError):
    pass


class CreditApplicationError(UserError):
    pass


class CreditAgreementError(UserError):
    pass


class CreditBlockError(UserError):
    pass


class ReceivableTargetError(UserError):
    pass


class CreditStatementError(ValidationError):
    pass


class CreditEvaluationError(UserError):
    pass


class CreditExtensionError(UserError):
    pass


class GreenChannelError(UserError):
    pass


class AssignRepDepartmentError(UserError):
    pass
