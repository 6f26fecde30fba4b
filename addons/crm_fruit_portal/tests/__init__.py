# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
