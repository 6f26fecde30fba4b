# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from trytond.exceptions import UserError, UserWarning
from trytond.model.exceptions import AccessError, ValidationError


class SurveyError(ValidationError):
    pass


class CareError(ValidationError):
    pass


class CalendarHoursError(ValidationError):
    pass


class TicketError(UserError):
    pass


class CompensationError(UserError):
    pass


class ServiceAccessError(AccessError):
    pass


class CompensationValidationError(ValidationError):
    pass


class KnowledgeSearchError(UserError):
    pass
