# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
import datetime as dt
from collections import defaultdict

from trytond.pool import Pool, PoolMeta

from .notify import notify, users_of


class Dunning(metaclass=PoolMeta):
    """The receivable ladder on Tryton's dunnings: each level of the
    procedure that has a CRM step tells the right people when an unpaid
    invoice reaches it, once (a dunning is processed once per level)"""
    __name__ = 'account.dunning'

    @classmethod
    def _overdue_line_domain(cls, date):
        # the reminder comes before the due date: a level with a negative
        # overdue takes the lines that fall due within it
        domain = super()._overdue_line_domain(date)
        lead = cls._ladder_lead()
        if lead:
            domain = [c if not (isinstance(c, tuple)
                        and c[:2] == ('maturity_date', '<='))
                else ('maturity_date', '<=', date + lead)
                for c in domain]
        return domain

    @classmethod
    def _ladder_lead(cls):
        "How long before the due date the earliest level applies"
        Level = Pool().get('account.dunning.level')
        leads = [-level.overdue for level in Level.search([
                    ('overdue', '<', dt.timedelta(0)),
                    ])]
        return max(leads, default=None)

    @classmethod
    def run_receivable_ladder(cls, date=None):
        """Move the unpaid invoices up the ladder and act on the levels they
        reach (cron): running it again the same day does nothing more"""
        cls.generate_dunnings(date=date)
        cls.process(cls.search([
                    ('state', '=', 'draft'),
                    ('blocked', '=', False),
                    ('level.crm_step', '!=', None),
                    ], order=[('company', 'ASC'), ('id', 'ASC')]))

    @classmethod
    def process(cls, dunnings):
        to_act = [d for d in dunnings
            if d.state == 'draft' and not d.blocked and d.level.crm_step]
        super().process(dunnings)
        by_step = defaultdict(list)
        for dunning in to_act:
            by_step[dunning.level.crm_step].append(dunning)
        for step, step_dunnings in by_step.items():
            getattr(cls, f'_crm_{step}')(step_dunnings)

    @classmethod
    def _crm_reminder(cls, dunnings):
        for dunning in dunnings:
            cls._notify(dunning, cls._reps(dunning),
                'msg_ladder_reminder_label', 'msg_ladder_reminder')

    @classmethod
    def _crm_warning(cls, dunnings):
        for dunning in dunnings:
            cls._notify(dunning, cls._reps(dunning),
                'msg_ladder_warning_label', 'msg_ladder_warning')

    @classmethod
    def _crm_escalation(cls, dunnings):
        for dunning in dunnings:
            cls._notify(dunning,
                cls._reps(dunning) | cls._customer_managers(dunning),
                'msg_ladder_escalation_label', 'msg_ladder_escalation')

    @classmethod
    def _crm_blacklist(cls, dunnings):
        pool = Pool()
        Block = pool.get('crm.credit.block')
        Date = pool.get('ir.date')
        Block.blacklist(dunnings, Date.today())
        managers = {}
        for dunning in dunnings:
            cls._notify(dunning, cls._reps(dunning),
                'msg_ladder_field_check_label', 'msg_ladder_field_check')
            company = dunning.company
            if company not in managers:
                managers[company] = cls._all_managers(company)
            cls._notify(dunning, managers[company],
                'msg_ladder_blacklist_label', 'msg_ladder_blacklist')

    @classmethod
    def _users_of(cls, employees):
        return users_of(employees)

    @classmethod
    def _reps(cls, dunning):
        party = dunning.party
        return cls._users_of([party.sales_rep, party.second_contact])

    @classmethod
    def _customer_managers(cls, dunning):
        return cls._users_of([d.manager for d in dunning.party.departments])

    @classmethod
    def _all_managers(cls, company):
        Department = Pool().get('crm.department')
        # the departments installed with the module belong to no company
        return cls._users_of([d.manager for d in Department.search([
                        ('company', 'in', [company.id, None]),
                        ])])

    @classmethod
    def _notify(cls, dunning, users, label, description):
        "Tell each user in his language, pointing at the customer"
        notify(users, label, description,
            lambda: cls._notice_values(dunning), dunning.party,
            icon='tryton-warning')

    @classmethod
    def _notice_values(cls, dunning):
        lang = Pool().get('ir.lang').get()
        line = dunning.line
        origin = line.move.origin
        return {
            'customer': dunning.party.rec_name,
            'document': (origin.rec_name if origin is not None
                else line.move.rec_name),
            'amount': lang.currency(
                dunning.amount, dunning.currency, grouping=True),
            'date': lang.strftime(dunning.maturity_date),
            }
