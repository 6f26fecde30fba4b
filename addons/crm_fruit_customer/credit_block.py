# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.modules.company.model import employee_field, set_employee
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access

from .exceptions import CreditBlockError
from .scope import (
    check_created_state, check_customer_scope, check_system_fields,
    ids_in_scope, rule_query)

KINDS = [
    ('stop_shipping', "Stop Shipping"),
    ('blacklist', "Blacklist"),
    ]


def standing_block(party, company):
    """The kind and reason of the block standing for the customer in the
    company, the blacklisting first, or (None, None): what the forms he is
    sold or shipped to show"""
    if not party or not company:
        return None, None
    Block = Pool().get('crm.credit.block')
    # the banner is for whoever sells or ships to him, also without the
    # right to open the blocks
    with without_check_access():
        blocks = Block.active_blocks([party.id], company.id)[party.id]
        if blocks:
            return blocks[0].kind, blocks[0].reason
    return None, None


class Block(Workflow, ModelSQL, ModelView):
    """A stop of the credit sales to a customer: while it stands his sales
    are not confirmed nor his goods shipped. A blacklisting also warns every
    department"""
    __name__ = 'crm.credit.block'
    __string__ = "Credit Block"

    _states = {
        'readonly': Eval('state') != 'active',
        }

    company = fields.Many2One(
        'company.company', "Company", required=True,
        states={
            'readonly': Eval('id', -1) >= 0,
            })
    party = fields.Many2One(
        'party.party', "Customer", required=True,
        states={
            'readonly': Eval('id', -1) >= 0,
            },
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    kind = fields.Selection(KINDS, "Kind", required=True, states=_states)
    reason = fields.Text("Reason", required=True, states=_states)
    dunning = fields.Many2One(
        'account.dunning', "Dunning", readonly=True,
        help="The overdue payment that led to the block.")
    date = fields.Date("Date", required=True, readonly=True)
    blocked_by = employee_field("Blocked By")
    lift_reason = fields.Text(
        "Lift Reason", states=_states,
        help="Why the customer may buy on credit again: paid, agreed "
        "schedule, dispute settled.")
    lifted_by = employee_field("Lifted By", states=['lifted'])
    lift_date = fields.Date("Lifted On", readonly=True)
    state = fields.Selection([
            ('active', "Active"),
            ('lifted', "Lifted"),
            ], "State", required=True, readonly=True, sort=False)

    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('date', 'DESC'),
            ('id', 'DESC'),
            ]
        table = cls.__table__()
        cls._sql_indexes.add(Index(
                table,
                (table.party, Index.Range()),
                where=table.state == 'active'))
        cls._transitions |= {
            ('active', 'lifted'),
            }
        cls._buttons.update({
                'lift': {
                    'invisible': Eval('state') != 'active',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_state(cls):
        return 'active'

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if mode == 'create':
            # whoever blocks signs the block: not a name the client sends
            values['blocked_by'] = Transaction().context.get('employee')
        return values

    @classmethod
    def get_rec_name(cls, blocks, name):
        # computed without access checks: never name a customer the user
        # may not read
        readable = ids_in_scope('party.party', {b.party.id for b in blocks})
        hidden = gettext('crm_fruit_customer.msg_hidden_customer')
        kinds = dict(cls.fields_get(['kind'])['kind']['selection'])
        return {b.id: '%s · %s · %s' % (
                b.party.rec_name if b.party.id in readable else hidden,
                kinds[b.kind], b.date) for b in blocks}

    @classmethod
    def search_rec_name(cls, name, clause):
        domain = [('party.rec_name',) + tuple(clause[1:])]
        if (readable := rule_query('party.party')) is not None:
            domain.append(('party', 'where', [('id', 'in', readable)]))
        return domain

    @classmethod
    def check_modification(cls, mode, blocks, values=None, external=False):
        super().check_modification(
            mode, blocks, values=values, external=external)
        if external:
            check_customer_scope(cls, mode, blocks, values)
        if external and mode == 'create':
            check_created_state(cls, blocks, 'active')
            check_system_fields(cls, mode, blocks, values, {
                    'dunning', 'lifted_by', 'lift_date'})
        elif external and mode == 'write':
            check_system_fields(cls, mode, blocks, values, {
                    'state', 'dunning', 'date', 'blocked_by', 'lifted_by',
                    'lift_date'})
            cls.check_active(blocks)
        elif external and mode == 'delete':
            # a block is evidence of the customer's credit history
            cls.check_active(blocks, deleting=True)

    @classmethod
    def check_active(cls, blocks, deleting=False):
        for block in blocks:
            if deleting or block.state != 'active':
                raise CreditBlockError(gettext(
                        'crm_fruit_customer.msg_credit_block_kept',
                        block=block.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('lifted')
    @set_employee('lifted_by')
    def lift(cls, blocks):
        for block in blocks:
            if not (block.lift_reason or '').strip():
                raise CreditBlockError(gettext(
                        'crm_fruit_customer.msg_credit_block_lift_reason',
                        block=block.rec_name))
        cls.write(blocks, {'lift_date': Pool().get('ir.date').today()})

    @classmethod
    def active_blocks(cls, party_ids, company=None):
        "{party id: the party's active blocks, the blacklisting first}"
        if company is None:
            company = Transaction().context.get('company')
        result = {p: [] for p in party_ids}
        blocks = cls.search([
                ('party', 'in', list(party_ids)),
                ('company', '=', company),
                ('state', '=', 'active'),
                ], order=[('kind', 'ASC'), ('date', 'DESC')])
        for block in blocks:
            result[block.party.id].append(block)
        return result

    @classmethod
    def blacklist(cls, chased, date):
        """The customers blacklisted (once each) for what the ladder chases:
        each with its dunning, company, party, document (the name of the
        invoice) and maturity_date, as the ladder has read them for its
        notices"""
        already = {(b.company.id, b.party.id) for b in cls.search([
                    ('party', 'in', list({c.party.id for c in chased})),
                    ('kind', '=', 'blacklist'),
                    ('state', '=', 'active'),
                    ])}
        blocks = []
        for item in chased:
            key = (item.company.id, item.party.id)
            if key in already:
                continue
            already.add(key)
            party_lang = item.company.party.lang
            with Transaction().set_context(
                    language=party_lang.code if party_lang else None):
                reason = gettext(
                    'crm_fruit_customer.msg_credit_block_blacklist_reason',
                    line=item.document, date=item.maturity_date)
            blocks.append(cls(
                    company=item.company, party=item.party,
                    kind='blacklist', reason=reason, dunning=item.dunning,
                    date=date))
        cls.save(blocks)
        return blocks
