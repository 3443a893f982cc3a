#!/usr/bin/python3
"""Writes a synthetic SAP IS-H export zip: PATIENTS patients with two cases each and ROWS rows in all.

Usage: generate.py OUT.zip [ROWS] [TEXT_BYTES]
Every value is made up; the text is random words so the archive does not compress away.
"""
import random
import sys
import zipfile

out = sys.argv[1]
rows = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
text_bytes = int(sys.argv[3]) if len(sys.argv) > 3 else 2000
rng = random.Random(4711)
alphabet = "abcdefghijklmnopqrstuvwxyzäöü"

def words(n):
    # Random letters with a space about every seventh character: text that compresses like prose does not.
    return "".join(rng.choices(alphabet + "      ", k=n)).strip()

# 40 % letters (text), 30 % laboratory, 20 % diagnoses, 10 % patients.
patients = rows // 10
briefe, labor, diagnosen = rows * 4 // 10, rows * 3 // 10, rows * 2 // 10

def case_of(i):
    p = i % patients
    return f"P{p:07d}", f"F{p:07d}{i % 2}"

with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    with z.open("export/briefe.txt", "w") as f:
        f.write("PatientNr\tFallNr\tdateErstellzeit\tstrText\r\n".encode("utf-8-sig"))
        for i in range(briefe):
            p, c = case_of(i)
            f.write(f"{p}\t{c}\t2024-05-{1 + i % 28:02d} 09:{i % 60:02d}:00\t\"{words(text_bytes)}\"\r\n".encode("utf-8"))
    with z.open("export/labor.txt", "w") as f:
        f.write(b"PatientNr\tFallNr\tDokumentzeit\tLeistung\tLeistungstext\tMesswert\r\n")
        for i in range(labor):
            p, c = case_of(i)
            f.write(f"{p}\t{c}\t17.05.2024 08:{i % 60:02d}\tHB\tH\xe4moglobin\t{rng.randint(80, 170) / 10}\r\n".encode("cp1252"))
    with z.open("export/diagnosen.txt", "w") as f:
        f.write(b"PatientNr\tFallNr\tDiagnoseschluessel1\tDiagnosezeit\tKzNebendiagnose\n")
        for i in range(diagnosen):
            p, c = case_of(i)
            f.write(f"{p}\t{c}\tK{rng.randint(20, 99)}.{rng.randint(0, 9)}\t2024-05-16\t{'ja' if i % 2 else 'nein'}\n".encode("utf-8"))
    with z.open("export/patienten.txt", "w") as f:
        f.write(b"PatientNr\tPatientAlter\tGeschlecht\n")
        for i in range(patients):
            f.write(f"P{i:07d}\t{rng.randint(18, 95)}\t{rng.choice('mwdu')}\n".encode("utf-8"))
