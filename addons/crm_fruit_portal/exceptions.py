# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError


class PortalPasswordError(ValidationError):
    pass


class ReceiptError(UserError):
    pass


class PhotoError(UserError):
    pass


class TicketFormError(UserError):
    pass


class SurveyFormError(UserError):
    pass


class ProfileError(UserError):
    pass
