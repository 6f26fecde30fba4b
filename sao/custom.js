/* This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
 *
 * Loaded by sao's index.html after the web client (`make sao` links it into
 * node_modules/tryton-sao/).  Two fixes for zh_CN users:
 * - sao calls moment.locale('zh') which moment does not know, so dates fell
 *   back to English rules (week starting on Sunday); 'zh' is made an alias
 *   of moment's 'zh-cn' (week starts on Monday).
 * - tryton-sao 8.0's locale/zh_CN.json lacks or has wrong (fuzzy) strings
 *   of everyday screens (user menu, favourites, chat, password reset); they
 *   are completed here, following docs/glossary.md.
 * Two fixes of sao 8.0 itself:
 * - gettext.js 2 normalises the locale to BCP 47 ('zh_CN' -> 'zh-CN'), so
 *   Sao.i18n.getlang() answers 'zh-CN' and the login call asks the server
 *   for a language it does not know ('zh_CN'): the password prompt came in
 *   English.  getLocale() answers the POSIX code again.
 * - Selection widgets rebuild their options at each display() and select
 *   the record's value only in a jQuery 3 .then() callback, which always
 *   runs later: a set_value() in between (a wizard button, a popup's OK
 *   after another field changed) read the first option and wrote it into
 *   the record.  The record's value is selected again at once.
 */
(function() {
    'use strict';
    if (window.moment && !moment.locales().includes('zh')) {
        moment.defineLocale('zh', {parentLocale: 'zh-cn'});
        moment.locale('en');
    }
    var ZH_CN = {
        'Check menu entries to add favorites': '勾选菜单项即可加入收藏',
        'Add to favorites': '加入收藏',
        'Remove from favorites': '取消收藏',
        'Email': '电子邮件',
        'Error: "%1". Try again later.': '出错：“%1”。请稍后重试。',
        'Send you an email to reset your password.': '向您发送一封重置密码的邮件。',
        'Reset forgotten password': '忘记密码？重置',
        'A request to reset your password has been sent.\nPlease check your mailbox.':
            '重置密码的请求已发送。\n请查收邮件。',
        'Concurrency Warning': '并发修改警告',
        'Details': '详情',
        'Chat': '交流',
        'Chat on the record': '就此记录交流',
        'Email...': '发送邮件...',
        'Send an email using the record': '用此记录发送电子邮件',
        'Select a color for "%1"': '为“%1”选择颜色',
        'Restore': '恢复',
        'Copy Selected Rows': '复制所选行',
        'Reset Column Widths': '重置列宽',
        'Failed to copy text to clipboard: %1': '复制到剪贴板失败：%1',
        'Module:': '模块：',
        'XML ID:': 'XML 标识：',
        'Email %1': '电子邮件 %1',
        'Add a follower': '添加关注者',
        'Subscribe a follower to this channel': '为此频道添加关注者',
        'Show followers': '显示关注者',
        'Unsubscribe': '取消关注',
        'Subscribe': '关注',
        'Are you sure to unsubscribe "%1" from this channel?':
            '确定让“%1”取消关注此频道吗？',
        'Enter a message': '输入消息',
        'Submit the message': '发送消息',
        'Make this an internal message': '设为内部消息',
        'No notifications at this time': '暂无通知',
        'All Notifications...': '全部通知...',
        'Preferences...': '首选项...',
        'Help...': '帮助...',
    };
    var ZH_CN_PLURAL = {
        '%1 record imported': ['%1 records imported', '已导入 %1 条记录'],
        '%1 record saved': ['%1 records saved', '已保存 %1 条记录'],
    };
    var getJSON = jQuery.getJSON;
    jQuery.getJSON = function(url) {
        var request = getJSON.apply(this, arguments);
        if (url !== 'locale/zh_CN.json') {
            return request;
        }
        return request.then(function(data) {
            Object.keys(ZH_CN).forEach(function(msgid) {
                data[msgid] = [null, ZH_CN[msgid]];
            });
            Object.keys(ZH_CN_PLURAL).forEach(function(msgid) {
                data[msgid] = ZH_CN_PLURAL[msgid];
            });
            return data;
        });
    };

    var getLocale = Sao.i18n.getLocale;
    Sao.i18n.getLocale = function() {
        return getLocale.call(this).replace('-', '_');
    };

    var Selection = Sao.View.Form.Selection.prototype;
    var set_selection = Selection.set_selection;
    Selection.set_selection = function(selection, help) {
        set_selection.call(this, selection, help);
        // MultiSelection selects its values itself, at once.
        if (this.record && this.field && !this.select.prop('multiple')) {
            this.select.val(JSON.stringify(this.field.get(this.record)));
        }
    };
    var get_value = Selection.get_value;
    Selection.get_value = function() {
        // No option selected: the record's inactive value is being added.
        if ((this.select.val() === null) && this.record && this.field) {
            return this.field.get(this.record);
        }
        return get_value.call(this);
    };
}());
