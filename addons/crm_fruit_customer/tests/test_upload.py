# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
import io
import unittest
import zipfile

from trytond.modules.crm_fruit_customer.exceptions import (
    UploadSizeError, UploadTypeError)
from trytond.modules.crm_fruit_customer.upload import validate_upload
from trytond.pool import Pool
from trytond.tests.test_tryton import (
    activate_module, drop_db, with_transaction)
from trytond.transaction import Transaction, check_access

PNG = b'\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR' + b'\x00' * 64
JPEG = b'\xff\xd8\xff\xe0\x00\x10JFIF\x00' + b'\x00' * 64
PDF = b'%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n'
EXE = b'MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff' + b'\x00' * 64
SVG = (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg">'
    b'<script>alert(1)</script></svg>')
HTML = b'  <html><body><script>alert(1)</script></body></html>'


def office(names, mimetype=None):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, 'w') as archive:
        if mimetype:
            archive.writestr('mimetype', mimetype)
        for name in names:
            archive.writestr(name, '<x/>')
    return buffer.getvalue()


class UploadTestCase(unittest.TestCase):
    "Test the allow-list, size limit and names of uploads"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        drop_db()
        activate_module('crm_fruit_customer')

    @with_transaction()
    def test_allowed_types(self):
        "Images, PDF, office documents, text and CSV are accepted"
        docx = office(['[Content_Types].xml', 'word/document.xml'])
        xlsx = office(['[Content_Types].xml', 'xl/workbook.xml'])
        odt = office(
            ['content.xml'], 'application/vnd.oasis.opendocument.text')
        ole = b'\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1' + b'\x00' * 64
        for name, data in [
                ('photo.png', PNG),
                ('Photo.JPG', JPEG),
                ('anim.gif', b'GIF89a' + b'\x00' * 16),
                ('phone.webp', b'RIFF\x10\x00\x00\x00WEBPVP8 '),
                ('invoice.pdf', PDF),
                ('report.docx', docx),
                ('prices.xlsx', xlsx),
                ('notes.odt', odt),
                ('old.doc', ole),
                ('old.xls', ole),
                ('readme.txt', '苹果 冷库 温度正常\n'.encode('utf-8')),
                ('list.csv', '客户,数量\n龙口,12\n'.encode('gb18030')),
                ]:
            with self.subTest(name=name):
                self.assertEqual(validate_upload(name, data), name)

    @with_transaction()
    def test_refused_types(self):
        "SVG, HTML, executables and macros are refused whatever their name"
        docm = office([
                '[Content_Types].xml', 'word/document.xml',
                'word/vbaProject.bin'])
        for name, data in [
                ('logo.svg', SVG),
                ('logo.png', SVG),
                ('notes.txt', SVG),
                ('page.html', HTML),
                ('page.txt', HTML),
                ('setup.exe', EXE),
                ('invoice.pdf', EXE),
                ('photo.png', PDF),
                ('report.docx', docm),
                ('report.docx', b'PK\x03\x04broken zip'),
                ('data.bin', b'\x00\x01\x02'),
                ]:
            with self.subTest(name=name):
                with self.assertRaises(UploadTypeError) as cm:
                    validate_upload(name, data)
                self.assertIn(name, cm.exception.message)

    @with_transaction()
    def test_size_limit(self):
        "A file above 10 MiB is refused, one of 10 MiB accepted"
        with self.assertRaises(UploadSizeError) as cm:
            validate_upload('big.pdf', PDF + b'0' * (11 * 1024 * 1024))
        self.assertIn('10.0 MiB', cm.exception.message)
        self.assertEqual(
            validate_upload('ok.pdf', PDF.ljust(10 * 1024 * 1024, b'0')),
            'ok.pdf')

    @with_transaction()
    def test_sanitised_name(self):
        "Path, control and bidi characters leave the name, its length capped"
        for name, expected in [
                ('../../etc/report.pdf', 'report.pdf'),
                ('C:\\Users\\wang\\report.pdf', 'report.pdf'),
                ('re\x00po\nrt\t.pdf', 'report.pdf'),
                ('invoice\u202efdp.pdf', 'invoicefdp.pdf'),
                ('\u200b.report.pdf ', 'report.pdf'),
                ('a<b>:c?.pdf', 'a_b__c_.pdf'),
                ('照片\u3000一.pdf', '照片 一.pdf'),
                ('scan', 'scan.pdf'),
                ]:
            with self.subTest(name=name):
                self.assertEqual(validate_upload(name, PDF), expected)
        long_name = validate_upload('苹' * 500 + '.pdf', PDF)
        self.assertLessEqual(len(long_name), 120)
        self.assertTrue(long_name.endswith('.pdf'))
        # The bidi override hides ".exe" behind "fdp": it must not pass
        with self.assertRaises(UploadTypeError):
            validate_upload('invoice\u202efdp.exe', EXE)

    def _party(self):
        Party = Pool().get('party.party')
        party, = Party.create([{'name': 'Longkou Fresh'}])
        return party

    @with_transaction()
    def test_attachment_through_rpc(self):
        "Attachments created or changed from outside are checked"
        pool = Pool()
        Attachment = pool.get('ir.attachment')
        party = self._party()
        with check_access():
            for name, data, error in [
                    ('logo.svg', SVG, UploadTypeError),
                    ('invoice.pdf', EXE, UploadTypeError),
                    ('big.png', PNG + b'0' * (11 * 1024 * 1024),
                        UploadSizeError),
                    ]:
                with self.subTest(name=name):
                    with self.assertRaises(error):
                        Attachment.create([{
                                    'resource': str(party),
                                    'name': name,
                                    'data': data,
                                    }])
            attachment, = Attachment.create([{
                        'resource': str(party),
                        'name': '../photo\u202e.png',
                        'data': PNG,
                        }])
            self.assertEqual(attachment.name, 'photo.png')
            with self.assertRaises(UploadTypeError):
                Attachment.write([attachment], {'data': EXE})
            with self.assertRaises(UploadTypeError):
                Attachment.write([attachment], {'name': 'photo.html'})
            Attachment.write([attachment], {
                    'name': 'scan\n.pdf', 'data': PDF})
            self.assertEqual(attachment.name, 'scan.pdf')
            self.assertEqual(bytes(attachment.data), PDF)
            link, = Attachment.create([{
                        'resource': str(party),
                        'name': 'web\u202esite',
                        'type': 'link',
                        'link': 'https://example.com/',
                        }])
            self.assertEqual(link.name, 'website')

    @with_transaction()
    def test_attachment_by_code(self):
        "The modules' own code is not limited (reports, e-mails)"
        pool = Pool()
        Attachment = pool.get('ir.attachment')
        party = self._party()
        self.assertFalse(Transaction().check_access)
        attachment, = Attachment.create([{
                    'resource': str(party),
                    'name': 'export.html',
                    'data': HTML,
                    }])
        self.assertEqual(attachment.name, 'export.html')
