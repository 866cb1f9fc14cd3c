/* k8tls-wizard: the command line (placeholder until the foundation lands). */
#include "config.h"
#include <stdio.h>
int main(void)
{
    puts(PACKAGE_STRING);
    return 0;
}
