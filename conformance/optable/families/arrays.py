"""placeholder"""

def entries():
    return []
