"""The demo province: a fictional but realistic province for trying the product out.

`motcua demo` builds it (see `motcua.demo.build`); the data tables live in the `*_data` modules.
"""
