"""What every exported column means, in Spanish and English."""

import pandas as pd

from valuechain.catalog import DIMENSIONS, LANG_INDEX

COLUMNS: dict[str, dict[str, tuple[str, str]]] = {
    "members": {
        "member_id": ("Identificador del socio", "Member id"),
        "name": ("Nombre de la empresa o institución", "Company or institution name"),
        "cluster_id": ("Clúster REDCAM al que pertenece", "REDCAM cluster it belongs to"),
        "tier": (
            "Nivel en la cadena: OEM, Tier 1/2/3, universidad, gobierno, servicios",
            "Place in the chain: OEM, Tier 1/2/3, university, government, services",
        ),
        "cve_ent": ("Clave INEGI del estado (01–32)", "INEGI state code (01–32)"),
        "state": ("Estado", "State"),
        "municipality": ("Municipio", "Municipality"),
        "cve_mun": ("Clave INEGI del municipio, cuando se conoce", "INEGI municipality code, where known"),
        "scian_code": ("Clase SCIAN principal", "Main SCIAN class"),
        "employee_band": ("Estrato de personal ocupado (DENUE)", "Staff-size band (DENUE strata)"),
        "iatf_16949": ("Certificación IATF 16949", "IATF 16949 certification"),
        "processes": ("Procesos de manufactura (separados por ;)", "Manufacturing processes (separated by ;)"),
        "lat": ("Latitud (grados)", "Latitude (degrees)"),
        "lon": ("Longitud (grados)", "Longitude (degrees)"),
        "clee": (
            "Clave del establecimiento en DENUE (CLEE), si el archivo la da",
            "DENUE establishment key (CLEE), if given",
        ),
        "email": ("Correo de contacto, si el archivo lo da", "Contact e-mail, if the file gives it"),
        "phone": ("Teléfono de contacto, si el archivo lo da", "Contact phone, if the file gives it"),
        "website": ("Sitio web, si el archivo lo da", "Website, if the file gives it"),
        "source": (
            "Origen del registro: archivo cargado, o 'sample' si es dato de muestra generado",
            "Where the row comes from: the loaded file, or 'sample' for generated sample data",
        ),
    },
    "invitation_list": {
        "rank": (
            "Lugar en la lista: socios primero, luego prospectos; dentro de cada grupo, por puntaje",
            "Place in the list: members first, then prospects; within each, by score",
        ),
        "name": ("Nombre de la empresa o establecimiento", "Company or establishment name"),
        "kind": (
            "member: socio de un clúster; prospect: establecimiento DENUE que no es socio",
            "member: a cluster member; prospect: a DENUE establishment that is not a member",
        ),
        "cluster_id": ("Clúster del socio (vacío para prospectos)", "The member's cluster (empty for prospects)"),
        "cve_ent": ("Clave INEGI del estado", "INEGI state code"),
        "municipality": ("Municipio", "Municipality"),
        "distance_km": (
            "Distancia de círculo máximo a la planta, en km (vacía sin planta)",
            "Great-circle distance to the plant, in km (empty without a plant)",
        ),
        "processes_matched": (
            "Procesos pedidos que la empresa tiene (separados por ;)",
            "Processes asked for that the firm runs (separated by ;)",
        ),
        "iatf_16949": (
            "IATF 16949 según el archivo de socios: yes, no o vacío (sin dato; DENUE no lo registra)",
            "IATF 16949 as the member file says: yes, no or empty (not known; DENUE does not record it)",
        ),
        "score": (
            "Puntaje de 0 a 100: proceso 50, distancia 25, IATF 15, tamaño 10",
            "Score 0 to 100: process 50, distance 25, IATF 15, size 10",
        ),
        "reasons": (
            "Por qué ocupa su lugar: cada parte con sus puntos",
            "Why it ranks there: each part with its points",
        ),
        "id": ("Identificador del socio, o id de DENUE del prospecto", "Member id, or the prospect's DENUE id"),
        "scian_code": ("Clase SCIAN", "SCIAN class"),
        "size": ("Estrato de personal ocupado", "Staff-size band"),
        "phone": ("Teléfono (archivo de socios o DENUE)", "Phone (member file or DENUE)"),
        "email": ("Correo (archivo de socios o DENUE)", "E-mail (member file or DENUE)"),
        "website": ("Sitio web (archivo de socios o DENUE)", "Website (member file or DENUE)"),
        "lat": ("Latitud (grados)", "Latitude (degrees)"),
        "lon": ("Longitud (grados)", "Longitude (degrees)"),
        "source": ("Archivo de origen, o 'sample' si es dato de muestra", "Source file, or 'sample' for sample data"),
    },
    "plants": {
        "plant_id": ("Identificador de la planta", "Plant id"),
        "company": ("Empresa", "Company"),
        "brands": ("Marcas", "Brands"),
        "plant_name": ("Nombre de la planta", "Plant name"),
        "municipality": ("Municipio", "Municipality"),
        "cve_ent": ("Clave INEGI del estado", "INEGI state code"),
        "state": ("Estado", "State"),
        "segment": ("Segmento", "Segment"),
        "vehicle_class": ("Ligeros o pesados", "Light or heavy vehicles"),
        "start_year": ("Año de inicio", "Start year"),
        "status": (
            "Estatus: operando, cerrando, cerrada, en pausa, incierto",
            "Status: operating, closing, closed, paused, unclear",
        ),
        "status_date": ("Fecha del estatus", "Date of the status"),
        "products": ("Productos", "Products"),
        "capacity_units": ("Capacidad anual citada (unidades)", "Cited annual capacity (units)"),
        "lat": ("Latitud aproximada", "Approximate latitude"),
        "lon": ("Longitud aproximada", "Approximate longitude"),
        "coord_quality": ("Precisión de las coordenadas", "How precise the coordinates are"),
        "source": ("Fuentes (ids en data/SOURCES.md)", "Sources (ids in data/SOURCES.md)"),
    },
    "denue_establishments": {
        "denue_id": ("Identificador DENUE", "DENUE id"),
        "clee": ("Clave estadística empresarial", "Statistical business key (CLEE)"),
        "name": ("Nombre del establecimiento", "Establishment name"),
        "legal_name": ("Razón social", "Legal name"),
        "scian_code": ("Clase SCIAN", "SCIAN class"),
        "scian_name": ("Nombre de la clase SCIAN", "SCIAN class name"),
        "per_ocu": ("Estrato de personal ocupado", "Staff-size stratum"),
        "employees_min": ("Personal mínimo del estrato", "Lower bound of the stratum"),
        "employees_max": ("Personal máximo del estrato (vacío: abierto)", "Upper bound (empty: open-ended)"),
        "cve_ent": ("Clave INEGI del estado", "INEGI state code"),
        "cve_mun": ("Clave INEGI del municipio", "INEGI municipality code"),
        "municipality": ("Municipio", "Municipality"),
        "lat": ("Latitud", "Latitude"),
        "lon": ("Longitud", "Longitude"),
        "fecha_alta": ("Fecha de alta en el DENUE", "Date added to DENUE"),
        "phone": ("Teléfono publicado en DENUE", "Phone as published in DENUE"),
        "email": ("Correo publicado en DENUE", "E-mail as published in DENUE"),
        "website": ("Sitio web publicado en DENUE", "Website as published in DENUE"),
        "source": (
            "Archivo DENUE de origen, o 'sample' si es dato de muestra generado",
            "DENUE file it came from, or 'sample' for generated sample data",
        ),
        "edition": ("Edición del DENUE (AAAA-MM)", "DENUE edition (YYYY-MM)"),
    },
}


def dictionary(table: str, lang: str = "es") -> pd.DataFrame:
    """(column, description) for one exported table in one language."""
    i = 1 if lang == "en" else 0
    return pd.DataFrame([(c, d[i]) for c, d in COLUMNS[table].items()], columns=["column", "description"])


def filters(lang: str = "es") -> pd.DataFrame:
    """(URL key, what it filters) for every dimension of the catalog: the keys a shared link may carry."""
    i = LANG_INDEX[lang]
    return pd.DataFrame([(d.key, f"{d.label[i]}: {d.help[i]}") for d in DIMENSIONS], columns=["column", "description"])


def full(lang: str = "es") -> pd.DataFrame:
    """Every column of every exported table, and every filter's URL key, in one language."""
    frames = [dictionary(t, lang).assign(table=t) for t in COLUMNS] + [filters(lang).assign(table="url_filters")]
    return pd.concat(frames)[["table", "column", "description"]]
